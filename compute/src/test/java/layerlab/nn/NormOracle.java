package layerlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import layerlab.oracle.Torch;

/**
 * Oracles the normalization tests share.
 *
 * <p>libtorch: DJL exposes aten's batch_norm and layer_norm, not group_norm, instance_norm or
 * weight standardization, and Python torch is not installed here to build a TorchScript archive.
 * So those three are computed in libtorch by the classic reshape: a group norm of (N, C, …) with G
 * groups is libtorch's training-mode batch norm of the input viewed as (1, N·G, rest) — each
 * "channel" of the view is one (sample, group) — followed by the per-channel affine γ, β as
 * libtorch broadcasts. Autograd through it gives the reference gradients. Independently, a
 * double-precision loop of the slide's formula checks the forward and the statistics.
 */
final class NormOracle {
    private NormOracle() {}

    /** aten::batch_norm; NOTE: DJL's parameter names are wrong, this is the real order. */
    static NDArray batchNorm(NDArray x, NDArray runningMean, NDArray runningVar, NDArray gamma, NDArray beta,
                             boolean training, double momentum, double eps) {
        return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) runningMean, (PtNDArray) runningVar,
                (PtNDArray) gamma, (PtNDArray) beta, training, momentum, eps);
    }

    /** Group norm in libtorch: batch norm over the (1, N·G, rest) view, then y·γ[c] + β[c] (γ, β may be null). */
    static NDArray groupNorm(Torch t, NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        return groupNorm(x, groups, gamma, beta, eps);
    }

    /** The same, with the statistics' arrays made by x's manager. */
    static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        long[] shape = x.getShape().getShape();
        long n = shape[0];
        long c = shape[1];
        NDArray view = x.reshape(1, n * groups, -1);
        NDArray ones = x.getManager().ones(new Shape(n * groups));
        NDArray zeros = x.getManager().zeros(new Shape(n * groups));
        NDArray y = batchNorm(view, zeros, ones.duplicate(), ones, zeros.duplicate(), true, 0.1, eps).reshape(new Shape(shape));
        if (gamma == null) {
            return y;
        }
        long[] bshape = new long[shape.length];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        return y.mul(gamma.reshape(bshape)).add(beta.reshape(bshape));
    }

    /**
     * The slide's group norm, written out in double precision: x (N, C, S), G contiguous groups;
     * mean and var (N·G) receive the statistics; gamma, beta (C) or null.
     */
    static double[] groupNormFormula(double[] x, int n, int c, int s, int groups, double[] gamma, double[] beta,
                                     double eps, double[] mean, double[] var) {
        double[] y = new double[x.length];
        int per = c / groups;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int m = g * per; m < (g + 1) * per; m++) {
                    for (int i = 0; i < s; i++) {
                        sum += x[(b * c + m) * s + i];
                    }
                }
                double mu = sum / (per * s);
                double sq = 0;
                for (int m = g * per; m < (g + 1) * per; m++) {
                    for (int i = 0; i < s; i++) {
                        sq += Math.pow(x[(b * c + m) * s + i] - mu, 2);
                    }
                }
                double v = sq / (per * s);
                mean[b * groups + g] = mu;
                var[b * groups + g] = v;
                for (int m = g * per; m < (g + 1) * per; m++) {
                    for (int i = 0; i < s; i++) {
                        int at = (b * c + m) * s + i;
                        double xhat = (x[at] - mu) / Math.sqrt(v + eps);
                        y[at] = gamma == null ? xhat : gamma[m] * xhat + beta[m];
                    }
                }
            }
        }
        return y;
    }

    /** Random values in [lo, hi) for γ-like parameters, from a seed. */
    static float[] uniform(long seed, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * layerlab.tensor.Rng.uniform(seed, i));
        }
        return v;
    }

    static double[] toDouble(layerlab.tensor.Tensor t) {
        return layerlab.check.GradCheck.toDouble(t.data());
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
