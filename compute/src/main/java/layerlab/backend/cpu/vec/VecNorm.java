package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twins of {@code NormKernels}: the same passes (two-pass statistics, then normalize;
 * backward: two sums, then dx), each a vector loop. Sums run in float lanes within one plane or
 * segment (a few thousand values: 16 lanes of a few hundred each) and in double across them,
 * where the scalar loops sum everything in double; the parity test bounds the difference.
 */
public final class VecNorm {
    private VecNorm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // ---- sums over a[off … off+n) ----

    /** Σ (a − mu)². */
    static double sumSqDev(float[] a, int off, int n, float mu) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(mu);
            acc = d.fma(d, acc);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(S, a, off + i, m).sub(mu);
            acc = acc.add(d.mul(d), m);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {Σ g, Σ g·(x − mu)·r} with g = scale·dy over one segment; added into out[0], out[1]. */
    static void sumsDyXhat(double[] out, float[] dy, float[] x, int off, int n, float scale, float mu, float r) {
        FloatVector sg = FloatVector.zero(S);
        FloatVector sgx = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, off + i).mul(scale);
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(r);
            sg = sg.add(g);
            sgx = g.fma(xhat, sgx);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, dy, off + i, m).mul(scale);
            FloatVector xhat = FloatVector.fromArray(S, x, off + i, m).sub(mu).mul(r);
            sg = sg.add(g, m);
            sgx = sgx.add(g.mul(xhat), m);
        }
        out[0] += sg.reduceLanes(VectorOperators.ADD);
        out[1] += sgx.reduceLanes(VectorOperators.ADD);
    }

    /** y = (x − m)·scale + shift over one segment (the scalar loop's rounding order). */
    static void affine(float[] y, float[] x, int off, int n, float m, float scale, float shift) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(m).mul(scale).add(shift).intoArray(y, off + i);
        }
        if (i < n) {
            VectorMask<Float> mk = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, off + i, mk).sub(m).mul(scale).add(shift).intoArray(y, off + i, mk);
        }
    }

    /** dx = k·(scale·dy − a − (x − mu)·r·b) over one segment. */
    static void backwardSegment(float[] dx, float[] dy, float[] x, int off, int n, float k, float scale,
                                float mu, float r, float a, float b) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, off + i).mul(scale);
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(r);
            g.sub(a).sub(xhat.mul(b)).mul(k).intoArray(dx, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, dy, off + i, m).mul(scale);
            FloatVector xhat = FloatVector.fromArray(S, x, off + i, m).sub(mu).mul(r);
            g.sub(a).sub(xhat.mul(b)).mul(k).intoArray(dx, off + i, m);
        }
    }

    // ---- batch norm: x (N, C, S) ----

    public static void batchNormStats(float[] mean, float[] var, float[] x, int n, int c, int s) {
        double count = (double) n * s;
        Parallel.forRange(c, 2L * n * s, ch -> {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                sum += VecMath.sum(x, (b * c + ch) * s, s);
            }
            double mu = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                sq += sumSqDev(x, (b * c + ch) * s, s, (float) mu);
            }
            mean[ch] = (float) mu;
            var[ch] = (float) (sq / count);
        });
    }

    public static void batchNormForward(float[] y, float[] x, float[] mean, float[] rstd,
                                        float[] gamma, float[] beta, int n, int c, int s) {
        Parallel.forRange(n * c, s, nc -> {
            int ch = nc % c;
            affine(y, x, nc * s, s, mean[ch], gamma[ch] * rstd[ch], beta[ch]);
        });
    }

    public static void batchNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int c, int s, boolean batchStatistics) {
        double count = (double) n * s;
        Parallel.forRange(c, 3L * n * s, ch -> {
            float mu = mean[ch];
            float r = rstd[ch];
            double[] sums = new double[2];
            for (int b = 0; b < n; b++) {
                sumsDyXhat(sums, dy, x, (b * c + ch) * s, s, 1f, mu, r);
            }
            dbeta[ch] += (float) sums[0];
            dgamma[ch] += (float) sums[1];
            float k = gamma[ch] * r;
            float meanDy = batchStatistics ? (float) (sums[0] / count) : 0f;
            float meanDyXhat = batchStatistics ? (float) (sums[1] / count) : 0f;
            for (int b = 0; b < n; b++) {
                backwardSegment(dx, dy, x, (b * c + ch) * s, s, k, 1f, mu, r, meanDy, meanDyXhat);
            }
        });
    }

    /** y = max(0, (x − mean)·(γ·rstd) + β) per channel: the fused inference form (FusedKernels). */
    public static void batchNormReluForward(float[] y, float[] x, float[] mean, float[] rstd,
                                            float[] gamma, float[] beta, int n, int c, int s) {
        Parallel.forRange(n * c, s, nc -> {
            int ch = nc % c;
            int off = nc * s;
            float m = mean[ch];
            float scale = gamma[ch] * rstd[ch];
            float shift = beta[ch];
            FloatVector zero = FloatVector.zero(S);
            int i = 0;
            for (; i <= s - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, off + i).sub(m).mul(scale).add(shift);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, off + i);
            }
            if (i < s) {
                VectorMask<Float> mk = S.indexInRange(i, s);
                FloatVector v = FloatVector.fromArray(S, x, off + i, mk).sub(m).mul(scale).add(shift);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, off + i, mk);
            }
        });
    }

    // ---- group norm: x (N, G, D); γ, β indexed by element / span, or null ----

    public static void groupNormForward(float[] y, float[] mean, float[] var, float[] rstd, float[] x,
                                        float[] gamma, float[] beta, int n, int g, int d, int span, float eps) {
        Parallel.forRange(n * g, 3L * d, ng -> {
            int off = ng * d;
            double mu = VecMath.sum(x, off, d) / d;
            double v = sumSqDev(x, off, d, (float) mu) / d;
            float r = (float) (1.0 / Math.sqrt(v + eps));
            mean[ng] = (float) mu;
            var[ng] = (float) v;
            rstd[ng] = r;
            float m = (float) mu;
            int first = (ng % g) * d;
            if (gamma == null) {
                affine(y, x, off, d, m, r, 0f);
            } else if (span == 1) {
                perElementAffine(y, x, off, d, m, r, gamma, beta, first);
            } else {
                for (int i = 0; i < d; ) { // segments of one γ, β
                    int p = (first + i) / span;
                    int end = Math.min(d, (p + 1) * span - first);
                    affineXhat(y, x, off + i, end - i, m, r, gamma[p], beta[p]);
                    i = end;
                }
            }
        });
    }

    /** y = γ·((x − m)·r) + β over one segment (the scalar loop's rounding order). */
    private static void affineXhat(float[] y, float[] x, int off, int n, float m, float r, float gm, float bt) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(m).mul(r).mul(gm).add(bt).intoArray(y, off + i);
        }
        if (i < n) {
            VectorMask<Float> mk = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, off + i, mk).sub(m).mul(r).mul(gm).add(bt).intoArray(y, off + i, mk);
        }
    }

    /** y = γ[p]·((x − m)·r) + β[p], p = first + i (LayerNorm's per-element affine). */
    private static void perElementAffine(float[] y, float[] x, int off, int n, float m, float r,
                                         float[] gamma, float[] beta, int first) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(m).mul(r);
            xhat.mul(FloatVector.fromArray(S, gamma, first + i)).add(FloatVector.fromArray(S, beta, first + i)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = gamma[first + i] * ((x[off + i] - m) * r) + beta[first + i];
        }
    }

    public static void groupNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int g, int d, int span) {
        Parallel.forRange(n * g, 4L * d, ng -> {
            int off = ng * d;
            int first = (ng % g) * d;
            float m = mean[ng];
            float r = rstd[ng];
            double[] sums = new double[2];
            if (gamma == null || span > 1) {
                for (int i = 0; i < d; ) {
                    int p = (first + i) / span;
                    int end = gamma == null ? d : Math.min(d, (p + 1) * span - first);
                    sumsDyXhat(sums, dy, x, off + i, end - i, gamma == null ? 1f : gamma[p], m, r);
                    i = end;
                }
            } else {
                perElementSums(sums, dy, x, off, d, gamma, first, m, r);
            }
            float meanDxhat = (float) (sums[0] / d);
            float meanDxhatXhat = (float) (sums[1] / d);
            if (gamma == null || span > 1) {
                for (int i = 0; i < d; ) {
                    int p = (first + i) / span;
                    int end = gamma == null ? d : Math.min(d, (p + 1) * span - first);
                    backwardSegment(dx, dy, x, off + i, end - i, r, gamma == null ? 1f : gamma[p], m, r, meanDxhat, meanDxhatXhat);
                    i = end;
                }
            } else {
                perElementBackward(dx, dy, x, off, d, gamma, first, m, r, meanDxhat, meanDxhatXhat);
            }
        });
        if (gamma != null) {
            parameterGradients(dgamma, dbeta, dy, x, mean, rstd, n, g, d, span);
        }
    }

    /** LayerNorm's per-element γ: {Σ γ·dy, Σ γ·dy·x̂} over one sample, added into sums. */
    private static void perElementSums(double[] sums, float[] dy, float[] x, int off, int n, float[] gamma, int first,
                                       float mu, float r) {
        FloatVector sg = FloatVector.zero(S);
        FloatVector sgx = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, gamma, first + i).mul(FloatVector.fromArray(S, dy, off + i));
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(r);
            sg = sg.add(g);
            sgx = g.fma(xhat, sgx);
        }
        sums[0] += sg.reduceLanes(VectorOperators.ADD);
        sums[1] += sgx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float dxhat = gamma[first + i] * dy[off + i];
            sums[0] += dxhat;
            sums[1] += (double) dxhat * ((x[off + i] - mu) * r);
        }
    }

    /** dx = r·(γ·dy − a − x̂·b) with per-element γ. */
    private static void perElementBackward(float[] dx, float[] dy, float[] x, int off, int n, float[] gamma, int first,
                                           float mu, float r, float a, float b) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, gamma, first + i).mul(FloatVector.fromArray(S, dy, off + i));
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(r);
            g.sub(a).sub(xhat.mul(b)).mul(r).intoArray(dx, off + i);
        }
        for (; i < n; i++) {
            float dxhat = gamma[first + i] * dy[off + i];
            float xhat = (x[off + i] - mu) * r;
            dx[off + i] = r * (dxhat - a - xhat * b);
        }
    }

    /** dγ[p] += Σ dy·x̂, dβ[p] += Σ dy over the batch and the span of p. */
    private static void parameterGradients(float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                           float[] mean, float[] rstd, int n, int g, int d, int span) {
        int params = g * d / span;
        if (span > 1) {
            Parallel.forRange(params, 2L * n * span, p -> {
                int grp = p * span / d;
                double[] sums = new double[2];
                for (int b = 0; b < n; b++) {
                    sumsDyXhat(sums, dy, x, b * g * d + p * span, span, 1f, mean[b * g + grp], rstd[b * g + grp]);
                }
                dbeta[p] += (float) sums[0];
                dgamma[p] += (float) sums[1];
            });
            return;
        }
        int block = 4096; // per-element γ (LayerNorm): a block of p, vectors across p, the batch inside
        Parallel.forRange((params + block - 1) / block, 4L * n * block, t -> {
            int p0 = t * block;
            int p1 = Math.min(params, p0 + block);
            for (int p = p0; p < p1; p += L) {
                VectorMask<Float> mk = S.indexInRange(p, p1);
                int grp = p / d; // a vector of p that straddles two groups takes the scalar loop
                boolean oneGroup = (Math.min(p + L, p1) - 1) / d == grp;
                if (!oneGroup) {
                    for (int q = p; q < Math.min(p + L, p1); q++) {
                        scalarParam(dgamma, dbeta, dy, x, mean, rstd, n, g, d, q);
                    }
                    continue;
                }
                FloatVector sdy = FloatVector.zero(S);
                FloatVector sdyx = FloatVector.zero(S);
                for (int b = 0; b < n; b++) {
                    int at = b * g * d + p;
                    FloatVector gy = FloatVector.fromArray(S, dy, at, mk);
                    FloatVector xhat = FloatVector.fromArray(S, x, at, mk).sub(mean[b * g + grp]).mul(rstd[b * g + grp]);
                    sdy = sdy.add(gy);
                    sdyx = gy.fma(xhat, sdyx);
                }
                FloatVector.fromArray(S, dbeta, p, mk).add(sdy).intoArray(dbeta, p, mk);
                FloatVector.fromArray(S, dgamma, p, mk).add(sdyx).intoArray(dgamma, p, mk);
            }
        });
    }

    private static void scalarParam(float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                    float[] mean, float[] rstd, int n, int g, int d, int p) {
        int grp = p / d;
        double sumDy = 0;
        double sumDyXhat = 0;
        for (int b = 0; b < n; b++) {
            int at = b * g * d + p;
            float gy = dy[at];
            sumDy += gy;
            sumDyXhat += (double) gy * ((x[at] - mean[b * g + grp]) * rstd[b * g + grp]);
        }
        dbeta[p] += (float) sumDy;
        dgamma[p] += (float) sumDyXhat;
    }
}
