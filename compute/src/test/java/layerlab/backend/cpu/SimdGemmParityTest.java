package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import layerlab.backend.cpu.vec.VecGemm;
import layerlab.backend.cpu.vec.VecLinear;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API GEMM (and VecLinear, which runs on it for most shapes) against the scalar GEMM
 * loops of ConvKernels and LinearKernels, with the layouts the fast paths use, on shapes that hit every edge of
 * the blocking (partial micro-tiles, k not a multiple of the depth block, one row, one column).
 * Bound: |fast − scalar| ≤ 1e-5 · Σ_p |a_ip|·|b_pj| (both sum k products in float, in
 * different orders; the error of each is a few ulp of that sum).
 */
@ExtendWith(SimdParity.class)
class SimdGemmParityTest {
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,1,1", "8,32,256", "7,33,257", "17,100,300", "130,70,513", "257,520,40", "64,3136,576", "3,5,1000"})
    void convGemmsMatchTheScalarLoops(int m, int n, int k) {
        float[] a = Tensor.randn(Seed.of(1), m * k).data();
        float[] b = Tensor.randn(Seed.of(2), k * n).data();
        float[] bt = Tensor.randn(Seed.of(3), n * k).data();
        float[] at = Tensor.randn(Seed.of(4), k * m).data();
        compare("gemmNN", m, n, k, a, b, c -> VecGemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, false),
                c -> ConvKernels.gemmNN(c, 0, a, 0, b, 0, m, n, k));
        compare("gemmNT", m, n, k, a, transpose(bt, n, k),
                c -> VecGemm.gemm(false, true, m, n, k, a, 0, k, bt, 0, k, c, 0, n, false, false),
                c -> ConvKernels.gemmNT(c, 0, a, 0, bt, 0, m, n, k));
        compare("gemmTN", m, n, k, transpose(at, k, m), b,
                c -> VecGemm.gemm(true, false, m, n, k, at, 0, m, b, 0, n, c, 0, n, false, false),
                c -> ConvKernels.gemmTN(c, 0, at, 0, b, 0, m, n, k));
        compare("matmulNN", m, n, k, a, b, c -> VecGemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, true, true),
                c -> LinearKernels.matmulNN(c, a, b, m, n, k));
        compare("matmulTN", m, n, k, transpose(at, k, m), b,
                c -> VecGemm.gemm(true, false, m, n, k, at, 0, m, b, 0, n, c, 0, n, true, true),
                c -> LinearKernels.matmulTN(c, at, b, m, n, k));
    }

    /**
     * A packed once (deep blocks, for B read in place) times B given by row offsets: with spare
     * floats past B's rows (read in place) and without (packed after all), against gemmNN.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} spare={3}")
    @CsvSource({"13,70,700,true", "13,70,700,false", "5,500,700,false", "1,33,9,true", "9,40,300,false", "64,100,576,true"})
    void packedATimesRowTableMatchesTheScalarLoop(int m, int n, int k, boolean spare) {
        float[] a = Tensor.randn(Seed.of(1), m * k).data();
        float[] b0 = Tensor.randn(Seed.of(2), k * n).data();
        float[] b = spare ? java.util.Arrays.copyOf(b0, k * n + 64) : b0;
        int[] rowOff = new int[k];
        for (int p = 0; p < k; p++) {
            rowOff[p] = p * n;
        }
        compare("packedA·rows", m, n, k, a, b0, c -> {
            VecGemm.PackedA pa = VecGemm.packA(false, m, k, a, 0, k, true);
            VecGemm.gemm(pa, false, n, b, 0, 0, rowOff, c, 0, n, false, false);
        }, c -> ConvKernels.gemmNN(c, 0, a, 0, b0, 0, m, n, k));
    }

    @ParameterizedTest(name = "batch={0} in={1} out={2}")
    @CsvSource({"1,3,5", "33,70,19", "256,300,130", "32,25088,10", "3,1024,16", "5,64,3", "6,2048,7", "9,1088,12"})
    void linearForwardMatchesTheScalarLoop(int batch, int in, int out) {
        float[] x = Tensor.randn(Seed.of(1), batch * in).data();
        float[] w = Tensor.randn(Seed.of(2), out * in).data();
        float[] bias = Tensor.randn(Seed.of(3), out).data();
        compare("linearForward", batch, out, in, x, transpose(w, out, in),
                y -> VecLinear.forward(y, x, w, bias, batch, in, out),
                y -> LinearKernels.linearForward(y, new float[in * out], x, w, bias, batch, in, out));
    }

    @ParameterizedTest(name = "batch={0} in={1} out={2}")
    @CsvSource({"32,25088,10", "7,64,3", "4,160,16", "3,48,17", "5,1104,7", "1,96,2"})
    void linearBackwardMatchesTheScalarLoop(int batch, int in, int out) {
        float[] x = Tensor.randn(Seed.of(1), batch * in).data();
        float[] w = Tensor.randn(Seed.of(2), out * in).data();
        float[] dy = Tensor.randn(Seed.of(3), batch * out).data();
        float[][][] r = new float[2][][];
        for (int v = 0; v < 2; v++) {
            float[] dx = new float[batch * in];
            float[] dw = Tensor.randn(Seed.of(4), out * in).data(); // accumulates onto what is there
            float[] db = Tensor.randn(Seed.of(5), out).data();
            if (v == 0) {
                VecLinear.backward(dx, dw, db, dy, x, w, batch, in, out);
            } else {
                LinearKernels.linearBackward(dx, dw, db, dy, x, w, batch, in, out);
            }
            r[v] = new float[][] {dx, dw, db};
        }
        SimdParity.assertClose("linear dx", r[1][0], r[0][0], 1e-5);
        SimdParity.assertClose("linear dw", r[1][1], r[0][1], 1e-5);
        SimdParity.assertClose("linear dbias", r[1][2], r[0][2], 1e-5);
    }

    /** Runs the fast and the scalar op on the same C (random start: accumulating forms add to it). */
    private static void compare(String what, int m, int n, int k, float[] a, float[] b, Consumer<float[]> fastOp,
                                Consumer<float[]> slowOp) {
        float[] start = Tensor.randn(Seed.of(9), m * n).data();
        float[] fast = start.clone();
        float[] slow = start.clone();
        fastOp.accept(fast);
        slowOp.accept(slow);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double scale = 1 + Math.abs(start[i * n + j]);
                for (int p = 0; p < k; p++) {
                    scale += Math.abs(a[i * k + p] * b[p * n + j]);
                }
                worst = Math.max(worst, Math.abs(fast[i * n + j] - slow[i * n + j]) / scale);
            }
        }
        System.out.printf("%s m=%d n=%d k=%d: worst |fast − scalar| / Σ|a·b| = %.2e%n", what, m, n, k, worst);
        assertTrue(worst <= 1e-5, what + ": worst relative difference " + worst);
    }

    /** t (cols, rows) = aᵀ for a (rows, cols). */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
