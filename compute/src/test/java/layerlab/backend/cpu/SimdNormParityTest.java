package layerlab.backend.cpu;


import layerlab.backend.cpu.vec.VecNorm;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorized batch and group norm against NormKernels' scalar loops, forward (statistics and
 * output) and backward (dx, dγ, dβ), training and eval, with and without affine, per-channel and
 * per-element γ (span H·W and 1), sizes that leave vector tails and a mean far from 0. Bound
 * 1e-5 of max(1, |value|): the float-lane partial sums differ from the all-double scalar sums.
 */
@ExtendWith(SimdParity.class)
class SimdNormParityTest {
    @ParameterizedTest(name = "n={0} c={1} s={2} train={3}")
    @CsvSource({"4,3,37,true", "8,16,3136,true", "8,16,3136,false", "2,5,1,true", "3,2,100,false"})
    void batchNorm(int n, int c, int s, boolean train) {
        float[] x = shifted(Tensor.randn(Seed.of(1), n * c * s).data());
        float[] gamma = Tensor.randn(Seed.of(2), c).data();
        float[] beta = Tensor.randn(Seed.of(3), c).data();
        float[] dy = Tensor.randn(Seed.of(4), n * c * s).data();
        float[][] r = new float[2][];
        float[][][] all = new float[2][][];
        for (int v = 0; v < 2; v++) {
            boolean fast = v == 0;
            float[] mean = new float[c];
            float[] var = new float[c];
            if (train && fast) {
                VecNorm.batchNormStats(mean, var, x, n, c, s);
            } else if (train) {
                NormKernels.batchNormStats(mean, var, x, n, c, s);
            } else {
                for (int i = 0; i < c; i++) {
                    mean[i] = 3f + 0.1f * i;
                    var[i] = 1.5f;
                }
            }
            float[] rstd = new float[c];
            NormKernels.rstd(rstd, var, c, 1e-5f);
            float[] y = new float[x.length];
            float[] dx = new float[x.length];
            float[] dg = new float[c];
            float[] db = new float[c];
            if (fast) {
                VecNorm.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
                VecNorm.batchNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, c, s, train);
            } else {
                NormKernels.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
                NormKernels.batchNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, c, s, train);
            }
            all[v] = new float[][] {mean, var, y, dx, dg, db};
        }
        String[] names = {"mean", "var", "y", "dx", "dgamma", "dbeta"};
        for (int i = 0; i < names.length; i++) {
            SimdParity.assertClose("batch norm " + names[i], all[1][i], all[0][i], 1e-5);
        }
    }

    @ParameterizedTest(name = "n={0} g={1} d={2} span={3} affine={4}")
    @CsvSource({"4,8,25088,3136,true", "2,1,200704,1,true", "3,64,3136,3136,false", "2,3,70,35,true", "2,2,77,1,true",
                "3,4,50,50,true", "2,5,33,1,false", "6,2,4128,1,true", "5,1,70,1,true", "9,3,40,1,true"})
    void groupNorm(int n, int g, int d, int span, boolean affine) {
        float[] x = shifted(Tensor.randn(Seed.of(1), n * g * d).data());
        int params = g * d / span;
        float[] gamma = affine ? Tensor.randn(Seed.of(2), params).data() : null;
        float[] beta = affine ? Tensor.randn(Seed.of(3), params).data() : null;
        float[] dy = Tensor.randn(Seed.of(4), n * g * d).data();
        float[][][] all = new float[2][][];
        for (int v = 0; v < 2; v++) {
            float[] mean = new float[n * g];
            float[] var = new float[n * g];
            float[] rstd = new float[n * g];
            float[] y = new float[x.length];
            float[] dx = new float[x.length];
            float[] dg = affine ? new float[params] : null;
            float[] db = affine ? new float[params] : null;
            if (v == 0) {
                VecNorm.groupNormForward(y, mean, var, rstd, x, gamma, beta, n, g, d, span, 1e-5f);
                VecNorm.groupNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, g, d, span);
            } else {
                NormKernels.groupNormForward(y, mean, var, rstd, x, gamma, beta, n, g, d, span, 1e-5f);
                NormKernels.groupNormBackward(dx, dg, db, dy, x, mean, rstd, gamma, n, g, d, span);
            }
            all[v] = new float[][] {mean, var, rstd, y, dx, affine ? dg : new float[0], affine ? db : new float[0]};
        }
        String[] names = {"mean", "var", "rstd", "y", "dx", "dgamma", "dbeta"};
        for (int i = 0; i < names.length; i++) {
            SimdParity.assertClose("group norm " + names[i], all[1][i], all[0][i], 1e-5);
        }
    }

    /** Values with mean ≈ 3 and spread ≈ 2: the statistics must not cancel. */
    private static float[] shifted(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = 3f + 2f * x[i];
        }
        return x;
    }
}
