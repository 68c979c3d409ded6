package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import layerlab.backend.Indices;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Pooling (max/avg, 2D/3D, padding, ceil mode, global) and dropout on OpenCL against the CPU. */
class PoolDropoutParityTest {
    private static void check(String what, int[] shape, PoolMode mode, int k, int s, int p, boolean ceil) {
        check(what, PoolWindows.of(what, mode, shape, k, s, p, ceil));
    }

    private static void check(String what, PoolWindows w) {
        Tensor x = Tensor.randn(Seed.of(11), w.inShape());
        Tensor dy = Tensor.randn(Seed.of(12), w.outShape());
        boolean max = w.mode() == PoolMode.MAX;
        parity(what, 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = on.apply(dy).zerosLike(), dx = xx.zerosLike();
            Indices arg = max ? b.indices(y.numel()) : null;
            b.poolForward(y, arg, xx, w);
            b.poolBackward(dx, on.apply(dy), arg, w);
            return max ? new Tensor[] {y, dx, ClTests.values(arg)} : new Tensor[] {y, dx};
        });
    }

    @Test
    void maxPool2dIncludingOverlapPaddingAndCeilMode() {
        check("MaxPool 2x2 s2", new int[] {2, 3, 8, 8}, PoolMode.MAX, 2, 2, 0, false);
        check("MaxPool 3x3 s2 p1", new int[] {2, 3, 7, 9}, PoolMode.MAX, 3, 2, 1, false);
        check("MaxPool 2 s3 ceil", new int[] {1, 2, 7, 9}, PoolMode.MAX, 2, 3, 0, true);
        check("MaxPool 3 s1 (overlap)", new int[] {2, 2, 6, 5}, PoolMode.MAX, 3, 1, 1, false);
    }

    @Test
    void avgPoolBothDivisorsAnd3d() {
        int[] s = {2, 3, 7, 9};
        check("AvgPool 3 s2 p1 incl", s, PoolMode.AVG_INCLUDE_PAD, 3, 2, 1, false);
        check("AvgPool 3 s2 p1 excl", s, PoolMode.AVG_EXCLUDE_PAD, 3, 2, 1, true);
        int[] v = {2, 2, 5, 6, 6};
        check("MaxPool3d 2 s2", v, PoolMode.MAX, 2, 2, 0, false);
        check("AvgPool3d 3 s2 p1", v, PoolMode.AVG_INCLUDE_PAD, 3, 2, 1, true);
    }

    @Test
    void globalAvgPool() {
        check("GlobalAvgPool", PoolWindows.global("GlobalAvgPool", new int[] {3, 4, 5, 6}));
        check("GlobalAvgPool3d", PoolWindows.global("GlobalAvgPool", new int[] {2, 3, 4, 5, 6}));
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
