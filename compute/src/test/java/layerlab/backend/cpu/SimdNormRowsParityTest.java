package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.vec.VecNormRows;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batch norm on rank 2 and small planes (VecNormRows: vectors across the channels) against
 * NormKernels' scalar loops: statistics, y, the fused y = max(0, ·), dx, dγ, dβ, training and
 * eval, C = 1, 3, 7, 1000, 1001 and planes of 1, 3, 9, 16 values, with a mean far from 0.
 * Bound 1e-5 of max(1, |value|), as SimdNormParityTest (float-lane partial sums vs all-double).
 */
@ExtendWith(SimdParity.class)
class SimdNormRowsParityTest {
    @ParameterizedTest(name = "n={0} c={1} s={2} train={3}")
    @CsvSource({"512,1024,1,true", "512,1024,1,false", "64,1001,1,true", "9,1,1,true", "5,3,1,true", "33,7,1,false",
                "200,1000,1,true", "16,3,9,true", "5,1000,16,true", "7,5,3,false", "130,7,1,true"})
    void batchNormMatchesTheScalarLoops(int n, int c, int s, boolean train) {
        assertTrue(VecNormRows.accepts(s));
        float[] x = Tensor.randn(Seed.of(1), n * c * s).data();
        for (int i = 0; i < x.length; i++) {
            x[i] = 3f + 2f * x[i];
        }
        float[] gamma = Tensor.randn(Seed.of(2), c).data();
        float[] beta = Tensor.randn(Seed.of(3), c).data();
        float[] dy = Tensor.randn(Seed.of(4), x.length).data();
        float[][][] all = new float[2][][];
        for (int v = 0; v < 2; v++) {
            boolean fast = v == 0;
            float[] mean = new float[c];
            float[] var = new float[c];
            if (train && fast) {
                VecNormRows.batchNormStats(mean, var, x, n, c, s);
            } else if (train) {
                NormKernels.batchNormStats(mean, var, x, n, c, s);
            } else {
                for (int i = 0; i < c; i++) {
                    mean[i] = 3f + 0.1f * i;
                    var[i] = 1.5f + 0.01f * i;
                }
            }
            float[] rstd = new float[c];
            NormKernels.rstd(rstd, var, c, 1e-5f);
            float[] y = new float[x.length];
            float[] yRelu = new float[x.length];
            float[] dx = new float[x.length];
            float[] dg = new float[c];
            float[] db = new float[c];
            if (fast) {
                VecNormRows.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s, false);
                VecNormRows.batchNormForward(yRelu, x, mean, rstd, gamma, beta, n, c, s, true);
                VecNormRows.batchNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, c, s, train);
            } else {
                NormKernels.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
                FusedKernels.batchNormReluForward(yRelu, x, mean, rstd, gamma, beta, n, c, s);
                NormKernels.batchNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, c, s, train);
            }
            all[v] = new float[][] {mean, var, y, yRelu, dx, dg, db};
        }
        String[] names = {"mean", "var", "y", "relu(y)", "dx", "dgamma", "dbeta"};
        for (int i = 0; i < names.length; i++) {
            SimdParity.assertClose("batch norm rows " + names[i], all[1][i], all[0][i], 1e-5);
        }
    }
}
