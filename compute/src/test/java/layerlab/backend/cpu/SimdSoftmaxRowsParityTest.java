package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.vec.VecSoftmaxRows;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Softmax, log-softmax and cross entropy over the last axis (VecSoftmaxRows: vectors along each
 * row) against SoftmaxKernels' scalar loops, forward and backward, at row lengths below, at and
 * not a multiple of the vector length; bound 1e-6 relative (exp within 2 ulp, sums in lanes).
 */
@ExtendWith(SimdParity.class)
class SimdSoftmaxRowsParityTest {
    @ParameterizedTest(name = "rows={0} n={1} scale={2}")
    @CsvSource({"512,1000,4", "64,10,4", "7,1,3", "5,3,3", "9,7,20", "3,1001,20", "2,17,1", "4,1000,1000", "1,4096,50"})
    void rowsMatchTheScalarLoops(int rows, int n, float scale) {
        float[] x = Tensor.randn(Seed.of(rows + n), rows * n).data();
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        float[] dy = Tensor.randn(Seed.of(7), x.length).data();
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = (r * 7919) % n;
        }
        assertTrue(VecSoftmaxRows.accepts(1));
        float[][] y = new float[2][x.length];
        float[][] dx = new float[2][x.length];
        VecSoftmaxRows.softmaxForward(y[0], x, rows, n);
        VecSoftmaxRows.softmaxBackward(dx[0], dy, y[0], rows, n);
        SoftmaxKernels.softmaxForward(y[1], x, rows, n, 1);
        SoftmaxKernels.softmaxBackward(dx[1], dy, y[1], rows, n, 1);
        SimdParity.assertClose("softmax y", y[1], y[0], 1e-6);
        SimdParity.assertClose("softmax dx", dx[1], dx[0], 1e-6);

        VecSoftmaxRows.logSoftmaxForward(y[0], x, rows, n);
        VecSoftmaxRows.logSoftmaxBackward(dx[0], dy, y[0], rows, n);
        SoftmaxKernels.logSoftmaxForward(y[1], x, rows, n, 1);
        SoftmaxKernels.logSoftmaxBackward(dx[1], dy, y[1], rows, n, 1);
        SimdParity.assertClose("log-softmax y", y[1], y[0], 1e-6);
        SimdParity.assertClose("log-softmax dx", dx[1], dx[0], 1e-6);

        float fast = VecSoftmaxRows.crossEntropyForward(y[0], x, labels, rows, n);
        VecSoftmaxRows.crossEntropyBackward(dx[0], y[0], labels, rows, n);
        float slow = SoftmaxKernels.crossEntropyForward(y[1], x, labels, rows, n);
        SoftmaxKernels.crossEntropyBackward(dx[1], y[1], labels, rows, n);
        assertEquals(slow, fast, 1e-6 * Math.max(1, Math.abs(slow)), "cross-entropy loss");
        SimdParity.assertClose("cross-entropy probs", y[1], y[0], 1e-6);
        SimdParity.assertClose("cross-entropy dz", dx[1], dx[0], 1e-6);
    }

    @Test
    void nanFollowsTheScalarRule() {
        // a NaN after the first value never becomes the maximum (the scalar loop's x > max), a NaN first does
        float[] x = {1, Float.NaN, 3, 2, 0, 1, 5, 4, 2, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
                     Float.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
        int n = 22;
        float[][] y = new float[2][x.length];
        VecSoftmaxRows.logSoftmaxForward(y[0], x, 2, n);
        SoftmaxKernels.logSoftmaxForward(y[1], x, 2, n, 1);
        SimdParity.assertClose("log-softmax with NaN", y[1], y[0], 1e-6);
    }
}
