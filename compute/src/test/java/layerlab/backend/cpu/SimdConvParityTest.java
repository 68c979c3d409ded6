package layerlab.backend.cpu;


import layerlab.backend.ConvShape;
import layerlab.backend.cpu.vec.VecConv;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API convolution (segment-copy im2col/col2im, blocked GEMM, per-thread buffers)
 * against the scalar ConvKernels loops, forward and backward, over strides, paddings and kernel
 * sizes. Bound: relative difference ≤ 1e-5 after scaling by the largest |value| (sums of up to
 * C·k·k or N·OH·OW float products in different orders).
 */
@ExtendWith(SimdParity.class)
class SimdConvParityTest {
    @ParameterizedTest(name = "n={0} c={1} hw={2}x{3} o={4} k={5} s={6} p={7}")
    @CsvSource({"2,3,7,9,5,3,1,1", "3,4,8,8,6,3,2,1", "2,2,5,6,3,1,1,0", "1,3,9,7,4,5,2,2", "4,8,12,12,16,3,1,1", "1,1,3,3,1,3,3,0",
                "2,3,9,11,4,5,1,2", "2,3,9,11,4,5,1,0", "1,2,6,5,3,3,1,0", "2,3,6,7,2,2,1,1",
                // batch groups of several items, depth in several blocks, rows of A past one block, two column panels
                "19,48,20,20,40,3,1,1", "9,96,6,6,12,3,1,1", "9,64,14,14,64,3,1,1", "3,1,28,28,32,3,1,1"})
    void forwardAndBackwardMatchTheScalarLoops(int n, int c, int h, int w, int o, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        float[] x = Tensor.randn(Seed.of(1), n * c * h * w).data();
        float[] wt = Tensor.randn(Seed.of(2), o * c * k * k).data();
        float[] bias = Tensor.randn(Seed.of(3), o).data();
        float[] dy = Tensor.randn(Seed.of(4), n * o * oh * ow).data();
        float[][] fast = run(true, x, wt, bias, dy, n, c, h, w, o, k, s, p, oh, ow);
        float[][] slow = run(false, x, wt, bias, dy, n, c, h, w, o, k, s, p, oh, ow);
        String[] names = {"y", "dx", "dw", "dbias"};
        for (int i = 0; i < 4; i++) {
            SimdParity.assertClose("conv " + names[i], slow[i], fast[i], 1e-5);
        }
    }

    @ParameterizedTest(name = "n={0} c={1} {2}x{3} o={4} k={5} s={6} p={7}")
    @CsvSource({"3,1,28,28,32,3,1,1", "2,2,9,7,5,3,1,1", "4,3,10,10,8,3,1,1", "2,1,8,9,3,3,2,1"})
    void parametersOnlyBackwardGivesTheSameWeightGradient(int n, int c, int h, int w, int o, int k, int s, int p) {
        // Layer.backwardParameters: dx == null, the kernels skip dX; dW and db as with it
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        float[] x = Tensor.randn(Seed.of(1), n * c * h * w).data();
        float[] wt = Tensor.randn(Seed.of(2), o * c * k * k).data();
        float[] dy = Tensor.randn(Seed.of(4), n * o * oh * ow).data();
        float[][] slow = run(false, x, wt, null, dy, n, c, h, w, o, k, s, p, oh, ow);
        ConvShape cs = new ConvShape(n, c, h, w, o, k, s, p, oh, ow);
        for (boolean simd : new boolean[] {false, true}) {
            float[] dw = new float[wt.length];
            float[] db = new float[o];
            if (simd) {
                VecConv.backward(null, dw, db, dy, x, wt, cs);
            } else {
                ConvKernels.conv2dBackward(null, dw, db, dy, x, wt, cs);
            }
            SimdParity.assertClose("conv dw, parameters only, simd=" + simd, slow[2], dw, 1e-5);
            SimdParity.assertClose("conv dbias, parameters only, simd=" + simd, slow[3], db, 1e-5);
        }
    }

    private static float[][] run(boolean simd, float[] x, float[] wt, float[] bias, float[] dy,
                                 int n, int c, int h, int w, int o, int k, int s, int p, int oh, int ow) {
        ConvShape cs = new ConvShape(n, c, h, w, o, k, s, p, oh, ow);
        float[] y = new float[n * o * oh * ow];
        float[] dx = new float[x.length];
        java.util.Arrays.fill(y, Float.NaN); // outputs are overwritten: every element, whatever was there
        java.util.Arrays.fill(dx, Float.NaN);
        float[] dw = new float[wt.length];
        float[] db = new float[o];
        if (simd) {
            VecConv.forward(y, x, wt, bias, cs);
            VecConv.backward(dx, dw, db, dy, x, wt, cs);
        } else {
            ConvKernels.conv2dForward(y, x, wt, bias, cs);
            ConvKernels.conv2dBackward(dx, dw, db, dy, x, wt, cs);
        }
        return new float[][] {y, dx, dw, db};
    }
}
