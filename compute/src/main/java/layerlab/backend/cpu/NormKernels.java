package layerlab.backend.cpu;

/**
 * Normalization loops on flat arrays: batch norm (statistics per channel, over the batch) and
 * group norm (statistics per sample and group), forward and backward side by side.
 *
 * <p>Group norm is the one kernel behind GroupNorm, LayerNorm (1 group), InstanceNorm (C groups)
 * and weight standardization (one "sample" per output filter, 1 group, no affine). Its input is
 * seen as (N, G, D): D = the group's element count. The affine γ, β has one value per
 * {@code span} consecutive elements of a sample: span = H·W gives per-channel γ (GroupNorm,
 * InstanceNorm), span = 1 per-element γ (LayerNorm); null γ and β mean no affine.
 *
 * <p>Sums run in double: a float sum over a 32×56×56 channel loses ~4 digits. The build compiles
 * this file a second time as {@code NormKernels64} (compute/pom.xml): primitives and Math only.
 */
@SuppressWarnings("cast") // in the float64 twin the (float)→(double) casts become redundant
public final class NormKernels {
    private NormKernels() {}

    // ---- batch norm: x (N, C, S), S = spatial size (1, H·W or T·H·W); statistics per channel ----

    /** mean[c] and biased var[c] = 1/(N·S) Σ (x − mean)² over the batch and the spatial positions. */
    public static void batchNormStats(float[] mean, float[] var, float[] x, int n, int c, int s) {
        double count = (double) n * s;
        Parallel.forRange(c, 2L * n * s, ch -> {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    sum += x[off + i];
                }
            }
            double mu = sum / count;
            double sq = 0; // second pass: Σ (x − μ)², stable where Σx² − (Σx)²/M is not
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double d = x[off + i] - mu;
                    sq += d * d;
                }
            }
            mean[ch] = (float) mu;
            var[ch] = (float) (sq / count);
        });
    }

    /** rstd[c] = 1 / √(var[c] + ε). */
    public static void rstd(float[] rstd, float[] var, int c, float eps) {
        for (int ch = 0; ch < c; ch++) {
            rstd[ch] = (float) (1.0 / Math.sqrt((double) var[ch] + eps));
        }
    }

    /** y = γ[c]·(x − mean[c])·rstd[c] + β[c]; mean and rstd are the batch's (training) or the running ones (eval). */
    public static void batchNormForward(float[] y, float[] x, float[] mean, float[] rstd,
                                        float[] gamma, float[] beta, int n, int c, int s) {
        Parallel.forRange(n * c, s, nc -> {
            int ch = nc % c;
            int off = nc * s;
            float m = mean[ch];
            float scale = gamma[ch] * rstd[ch];
            float shift = beta[ch];
            for (int i = 0; i < s; i++) {
                y[off + i] = (x[off + i] - m) * scale + shift; // NOTE: x·scale + (β − μ·scale) cancels when |μ| ≫ σ
            }
        });
    }

    /**
     * dβ[c] += Σ dy, dγ[c] += Σ dy·x̂ and dx. With batch statistics (training) the mean and
     * variance depend on x: dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)), means over the batch and
     * the spatial positions. With running statistics (eval) they are constants: dx = γ·rstd·dy.
     */
    public static void batchNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int c, int s, boolean batchStatistics) {
        double count = (double) n * s;
        Parallel.forRange(c, 3L * n * s, ch -> {
            float mu = mean[ch];
            float r = rstd[ch];
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    float g = dy[off + i];
                    sumDy += g;
                    sumDyXhat += (double) g * ((x[off + i] - mu) * r);
                }
            }
            dbeta[ch] += (float) sumDy;
            dgamma[ch] += (float) sumDyXhat;
            float k = gamma[ch] * r;
            float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
            float meanDyXhat = batchStatistics ? (float) (sumDyXhat / count) : 0f;
            for (int b = 0; b < n; b++) {
                int off = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    float xhat = (x[off + i] - mu) * r;
                    // with running statistics dx = k·dy: x must not enter (xhat·0 would be NaN for x = NaN)
                    dx[off + i] = batchStatistics ? k * (dy[off + i] - meanDy - xhat * meanDyXhat) : k * dy[off + i];
                }
            }
        });
    }

    /**
     * Running statistics after one training batch: run ← keep·run + (1 − keep)·batch, the lecture's
     * α = keep (PyTorch's momentum m = 1 − keep). The variance enters times {@code varScale}:
     * 1 for the lecture's biased σ²_B, M/(M−1) for PyTorch's unbiased one.
     */
    public static void runningUpdate(float[] runMean, float[] runVar, float[] mean, float[] var,
                                     int c, float keep, float varScale) {
        for (int ch = 0; ch < c; ch++) {
            runMean[ch] = keep * runMean[ch] + (1f - keep) * mean[ch];
            runVar[ch] = keep * runVar[ch] + (1f - keep) * (var[ch] * varScale);
        }
    }

    // ---- group norm: x (N, G, D); mean, var, rstd: (N, G); γ, β: (G·D / span) or null ----

    /** Statistics per (sample, group), then y = γ·(x − mean)·rstd + β, γ and β indexed by element / span. */
    public static void groupNormForward(float[] y, float[] mean, float[] var, float[] rstd, float[] x,
                                        float[] gamma, float[] beta, int n, int g, int d, int span, float eps) {
        Parallel.forRange(n * g, 3L * d, ng -> {
            int off = ng * d;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += x[off + i];
            }
            double mu = sum / d;
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double dev = x[off + i] - mu;
                sq += dev * dev;
            }
            double v = sq / d;
            float r = (float) (1.0 / Math.sqrt(v + eps));
            mean[ng] = (float) mu;
            var[ng] = (float) v;
            rstd[ng] = r;
            float m = (float) mu;
            int first = (ng % g) * d; // this group's first element within its sample
            for (int i = 0; i < d; i++) {
                float xhat = (x[off + i] - m) * r;
                if (gamma == null) {
                    y[off + i] = xhat;
                } else {
                    int p = (first + i) / span;
                    y[off + i] = gamma[p] * xhat + beta[p];
                }
            }
        });
    }

    /**
     * dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) per (sample, group), with dx̂ = γ·dy (dy without
     * affine); then dγ[p] += Σ dy·x̂ and dβ[p] += Σ dy over the batch and the span of p.
     */
    public static void groupNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int g, int d, int span) {
        Parallel.forRange(n * g, 4L * d, ng -> {
            int off = ng * d;
            int first = (ng % g) * d;
            float m = mean[ng];
            float r = rstd[ng];
            double sumDxhat = 0;
            double sumDxhatXhat = 0;
            for (int i = 0; i < d; i++) {
                float dxhat = gamma == null ? dy[off + i] : gamma[(first + i) / span] * dy[off + i];
                sumDxhat += dxhat;
                sumDxhatXhat += (double) dxhat * ((x[off + i] - m) * r);
            }
            float meanDxhat = (float) (sumDxhat / d);
            float meanDxhatXhat = (float) (sumDxhatXhat / d);
            for (int i = 0; i < d; i++) {
                float dxhat = gamma == null ? dy[off + i] : gamma[(first + i) / span] * dy[off + i];
                float xhat = (x[off + i] - m) * r;
                dx[off + i] = r * (dxhat - meanDxhat - xhat * meanDxhatXhat);
            }
        });
        if (gamma == null) {
            return;
        }
        int params = g * d / span;
        Parallel.forRange(params, 2L * n * span, p -> {
            int grp = p * span / d; // a parameter's span never straddles two groups
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                int off = b * g * d + p * span;
                float m = mean[b * g + grp];
                float r = rstd[b * g + grp];
                for (int i = 0; i < span; i++) {
                    float gy = dy[off + i];
                    sumDy += gy;
                    sumDyXhat += (double) gy * ((x[off + i] - m) * r);
                }
            }
            dbeta[p] += (float) sumDy;
            dgamma[p] += (float) sumDyXhat;
        });
    }
}
