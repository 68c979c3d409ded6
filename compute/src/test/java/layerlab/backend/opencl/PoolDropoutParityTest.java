package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import layerlab.backend.Indices;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.PoolKernels;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Pooling (max/avg, 2D/3D, padding, ceil mode, global) and dropout on OpenCL against the CPU. */
class PoolDropoutParityTest {
    /** Windows of a cubic (or square) kernel as MaxPool/AvgPool build them; T = 1 for rank 4. */
    static PoolWindows windows(int[] shape, int k, int s, int p, boolean ceil) {
        boolean is3d = shape.length == 5;
        int[] in = {is3d ? shape[2] : 1, shape[shape.length - 2], shape[shape.length - 1]};
        int[] out = new int[3];
        for (int d = 0; d < 3; d++) {
            out[d] = d == 0 && !is3d ? 1 : PoolKernels.outputSize(in[d], k, s, p, ceil);
        }
        int[] kk = {is3d ? k : 1, k, k};
        int[] ss = {is3d ? s : 1, s, s};
        int[] pp = {is3d ? p : 0, p, p};
        return new PoolWindows(shape[0] * shape[1], in, out, kk, ss, pp);
    }

    private static void check(String what, int[] shape, PoolWindows w, boolean max, boolean countIncludePad) {
        Tensor x = Tensor.randn(Seed.of(11), shape);
        int[] outShape = shape.clone();
        outShape[shape.length - 2] = w.out()[1];
        outShape[shape.length - 1] = w.out()[2];
        if (shape.length == 5) {
            outShape[2] = w.out()[0];
        }
        Tensor dy = Tensor.randn(Seed.of(12), outShape);
        parity(what, 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = on.apply(dy).zerosLike(), dx = xx.zerosLike();
            Indices arg = b.indices(y.numel());
            b.poolForward(y, arg, xx, w, max, countIncludePad);
            b.poolBackward(dx, on.apply(dy), arg, w, max, countIncludePad);
            return max ? new Tensor[] {y, dx, ClTests.values(arg)} : new Tensor[] {y, dx};
        });
    }

    @Test
    void maxPool2dIncludingOverlapPaddingAndCeilMode() {
        check("MaxPool 2x2 s2", new int[] {2, 3, 8, 8}, windows(new int[] {2, 3, 8, 8}, 2, 2, 0, false), true, false);
        check("MaxPool 3x3 s2 p1", new int[] {2, 3, 7, 9}, windows(new int[] {2, 3, 7, 9}, 3, 2, 1, false), true, false);
        check("MaxPool 2 s3 ceil", new int[] {1, 2, 7, 9}, windows(new int[] {1, 2, 7, 9}, 2, 3, 0, true), true, false);
        check("MaxPool 3 s1 (overlap)", new int[] {2, 2, 6, 5}, windows(new int[] {2, 2, 6, 5}, 3, 1, 1, false), true, false);
    }

    @Test
    void avgPoolBothDivisorsAnd3d() {
        int[] s = {2, 3, 7, 9};
        check("AvgPool 3 s2 p1 incl", s, windows(s, 3, 2, 1, false), false, true);
        check("AvgPool 3 s2 p1 excl", s, windows(s, 3, 2, 1, true), false, false);
        int[] v = {2, 2, 5, 6, 6};
        check("MaxPool3d 2 s2", v, windows(v, 2, 2, 0, false), true, false);
        check("AvgPool3d 3 s2 p1", v, windows(v, 3, 2, 1, true), false, true);
    }

    @Test
    void globalAvgPool() {
        int[] s = {3, 4, 5, 6};
        PoolWindows g = new PoolWindows(12, new int[] {1, 5, 6}, new int[] {1, 1, 1}, new int[] {1, 5, 6},
                new int[] {1, 5, 6}, new int[] {0, 0, 0});
        check("GlobalAvgPool", s, g, false, true);
    }

    @Test
    void dropoutMaskIsTheCpuMaskBitForBit() {
        OpenClBackend cl = ClTests.backend();
        for (double keep : new double[] {0.5, 0.8, 1.0, 1.0 / 3}) {
            long stream = Rng.bits(42, 3);
            Tensor cpu = Tensor.zeros(4, 3, 17, 19);
            ClTests.CPU.dropoutMask(cpu, stream, keep);
            Tensor dev = Tensor.zeros(4, 3, 17, 19).to(Device.OPENCL);
            cl.dropoutMask(dev, stream, keep);
            assertArrayEquals(cpu.data(), dev.toArray(), "keep " + keep);
        }
    }

    @Test
    void dropoutApplyAndScale() {
        Tensor x = Tensor.randn(Seed.of(1), 4, 3, 5, 5);
        Tensor dy = Tensor.randn(Seed.of(2), 4, 3, 5, 5);
        parity("Dropout", 0, (b, on) -> {
            Tensor xx = on.apply(x), mask = xx.zerosLike(), y = xx.zerosLike(), dx = xx.zerosLike(), t = xx.zerosLike();
            b.dropoutMask(mask, 99, 0.7);
            b.dropoutForward(y, xx, mask, 1f / 0.7f);
            b.dropoutBackward(dx, on.apply(dy), mask, 1f / 0.7f);
            b.scale(t, xx, 0.7f);
            return new Tensor[] {mask, y, dx, t};
        });
    }

    @Test
    void dropoutDrawnWhereAppliedIsTheCpuDrawBitForBit() {
        OpenClBackend cl = ClTests.backend();
        Tensor x = Tensor.randn(Seed.of(1), 4, 3, 17, 19);
        for (double keep : new double[] {0.5, 0.8, 1.0, 1.0 / 3}) {
            long stream = Rng.bits(42, 5);
            Tensor cpu = x.zerosLike();
            ClTests.CPU.dropoutApply(cpu, x, stream, keep, (float) (1 / keep));
            Tensor dev = x.zerosLike().to(Device.OPENCL);
            cl.dropoutApply(dev, x.to(Device.OPENCL), stream, keep, (float) (1 / keep));
            assertArrayEquals(cpu.data(), dev.toArray(), "keep " + keep);
        }
    }
}
