package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twins of {@code NormKernels}. Batch norm: the scalar loop's passes, each a vector
 * loop. Group norm (GroupNorm, LayerNorm, InstanceNorm): two passes over memory where the scalar
 * loops make three or four — forward: the statistics in one read (per block of 4096 the block
 * mean and squared deviations, the block still in L1, blocks combined by Chan's update in
 * double), then y while the group is still in cache; backward: one pass for the sums (which also
 * give dγ, dβ), one for dx. Sums run in float lanes within a block or segment and in double
 * across them, where the scalar loops sum everything in double; the parity test bounds the
 * difference.
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
        return VecMath.sumLanes(acc);
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
        out[0] += VecMath.sumLanes(sg);
        out[1] += VecMath.sumLanes(sgx);
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

    /** dx = k·dy over one segment. */
    private static void scaleSegment(float[] dx, float[] dy, int off, int n, float k) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, dy, off + i).mul(k).intoArray(dx, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, dy, off + i, m).mul(k).intoArray(dx, off + i, m);
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
                if (!batchStatistics) { // running statistics: dx = k·dy, x does not enter (NaN in x stays out)
                    scaleSegment(dx, dy, (b * c + ch) * s, s, k);
                    continue;
                }
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
                v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, off + i); // NaN stays NaN
            }
            if (i < s) {
                VectorMask<Float> mk = S.indexInRange(i, s);
                FloatVector v = FloatVector.fromArray(S, x, off + i, mk).sub(m).mul(scale).add(shift);
                v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, off + i, mk);
            }
        });
    }

    // ---- group norm: x (N, G, D); γ, β indexed by element / span, or null ----

    /** Elements of one statistics block: it is read from memory once, its second pass hits L1. */
    private static final int SB = 4096;

    /**
     * {mean, Σ (x − mean)²} of a[off … off+n) in one pass over memory: per block of SB the block
     * mean, then the squared deviations from it (the block still in L1), blocks combined in
     * double (Chan et al.'s pairwise update): as stable as two passes over the whole, one read
     * from memory.
     */
    static void meanM2(double[] out, float[] a, int off, int n) {
        double mean = 0;
        double m2 = 0;
        long count = 0;
        for (int b0 = 0; b0 < n; b0 += SB) {
            int len = Math.min(SB, n - b0);
            int o = off + b0;
            double mb = sum4(a, o, len) / len;
            float mf = (float) mb;
            double dm = mb - mf; // Σ (x − mb)² = Σ (x − mf)² − len·(mb − mf)²
            double m2b = sumSqDev4(a, o, len, mf) - len * dm * dm;
            long total = count + len;
            double delta = mb - mean;
            mean += delta * len / total;
            m2 += m2b + delta * delta * ((double) count * len / total);
            count = total;
        }
        out[0] = mean;
        out[1] = Math.max(0, m2);
    }

    /** Σ a[off … off+n) with four float lane accumulators (n ≤ a few thousand). */
    static double sum4(float[] a, int off, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, a, off + i));
            s1 = s1.add(FloatVector.fromArray(S, a, off + i + L));
            s2 = s2.add(FloatVector.fromArray(S, a, off + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, a, off + i + 3 * L));
        }
        for (; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            s0 = s0.add(FloatVector.fromArray(S, a, off + i, m));
        }
        return VecMath.sumLanes(s0.add(s1).add(s2.add(s3)));
    }

    /** Σ (a − mu)² with four float lane accumulators. */
    static double sumSqDev4(float[] a, int off, int n, float mu) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            FloatVector d0 = FloatVector.fromArray(S, a, off + i).sub(mu);
            FloatVector d1 = FloatVector.fromArray(S, a, off + i + L).sub(mu);
            FloatVector d2 = FloatVector.fromArray(S, a, off + i + 2 * L).sub(mu);
            FloatVector d3 = FloatVector.fromArray(S, a, off + i + 3 * L).sub(mu);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
            s2 = d2.fma(d2, s2);
            s3 = d3.fma(d3, s3);
        }
        for (; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(S, a, off + i, m).sub(mu);
            s0 = s0.add(d.mul(d), m);
        }
        return VecMath.sumLanes(s0.add(s1).add(s2.add(s3)));
    }

    /**
     * Statistics in one read of x ({@link #meanM2}), then y in a second pass that finds the
     * group (≤ 800 KB for LayerNorm over 64×56×56) still in L2.
     */
    public static void groupNormForward(float[] y, float[] mean, float[] var, float[] rstd, float[] x,
                                        float[] gamma, float[] beta, int n, int g, int d, int span, float eps) {
        Parallel.forRange(n * g, 3L * d, ng -> {
            int off = ng * d;
            double[] st = new double[2];
            meanM2(st, x, off, d);
            double mu = st[0];
            double v = st[1] / d;
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

    /**
     * Backward in two passes over dy and x. Per-channel γ or none (GroupNorm, InstanceNorm): per
     * (sample, group) one pass for Σ dy and Σ dy·x̂ of each γ's segment — they give both the
     * group's sums (weighted by γ) and that sample's share of dγ, dβ — then dx from L2.
     * Per-element γ (LayerNorm): see {@link #perElementGroupBackward}.
     */
    public static void groupNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int g, int d, int span) {
        if (gamma != null && span == 1) {
            perElementGroupBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, g, d);
            return;
        }
        int params = gamma == null ? 0 : g * d / span;
        double[] seg = new double[2 * n * params]; // per (sample, parameter): Σ dy, Σ dy·x̂
        Parallel.forRange(n * g, 4L * d, ng -> {
            int off = ng * d;
            int first = (ng % g) * d;
            int b = ng / g;
            float m = mean[ng];
            float r = rstd[ng];
            double[] sums = new double[2];
            double sg = 0;
            double sgx = 0;
            for (int i = 0; i < d; ) {
                int p = gamma == null ? 0 : (first + i) / span;
                int end = gamma == null ? d : Math.min(d, (p + 1) * span - first);
                sumsDyDev(sums, dy, x, off + i, end - i, m);
                sums[1] *= r; // Σ dy·x̂ = r·Σ dy·(x − m)
                if (gamma == null) {
                    sg += sums[0];
                    sgx += sums[1];
                } else {
                    seg[2 * (b * params + p)] += sums[0];
                    seg[2 * (b * params + p) + 1] += sums[1];
                    sg += gamma[p] * sums[0];
                    sgx += gamma[p] * sums[1];
                }
                i = end;
            }
            float meanDxhat = (float) (sg / d);
            float meanDxhatXhat = (float) (sgx / d);
            for (int i = 0; i < d; ) {
                int p = gamma == null ? 0 : (first + i) / span;
                int end = gamma == null ? d : Math.min(d, (p + 1) * span - first);
                float gm = gamma == null ? 1f : gamma[p];
                // dx = r·(γ·dy − a − x̂·b) = (r·γ)·dy + (−r·r·b)·(x − m) − r·a
                linearSegment(dx, dy, x, off + i, end - i, r * gm, -r * r * meanDxhatXhat, m, -r * meanDxhat);
                i = end;
            }
        });
        for (int p = 0; p < params; p++) {
            double sdy = 0;
            double sdyx = 0;
            for (int b = 0; b < n; b++) {
                sdy += seg[2 * (b * params + p)];
                sdyx += seg[2 * (b * params + p) + 1];
            }
            dbeta[p] += (float) sdy;
            dgamma[p] += (float) sdyx;
        }
    }

    /** sums = {Σ dy, Σ dy·(x − m)} over one segment, two accumulators each. */
    private static void sumsDyDev(double[] sums, float[] dy, float[] x, int off, int n, float m) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector t0 = FloatVector.zero(S);
        FloatVector t1 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector g0 = FloatVector.fromArray(S, dy, off + i);
            FloatVector g1 = FloatVector.fromArray(S, dy, off + i + L);
            s0 = s0.add(g0);
            s1 = s1.add(g1);
            t0 = g0.fma(FloatVector.fromArray(S, x, off + i).sub(m), t0);
            t1 = g1.fma(FloatVector.fromArray(S, x, off + i + L).sub(m), t1);
        }
        for (; i < n; i += L) {
            VectorMask<Float> mk = S.indexInRange(i, n);
            FloatVector g0 = FloatVector.fromArray(S, dy, off + i, mk);
            s0 = s0.add(g0);
            t0 = g0.fma(FloatVector.fromArray(S, x, off + i, mk).sub(m), t0);
        }
        sums[0] = VecMath.sumLanes(s0.add(s1));
        sums[1] = VecMath.sumLanes(t0.add(t1));
    }

    /** dx = c·dy + e·(x − m) + f over one segment. */
    private static void linearSegment(float[] dx, float[] dy, float[] x, int off, int n, float c, float e, float m, float f) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector dev = FloatVector.fromArray(S, x, off + i).sub(m);
            FloatVector.fromArray(S, dy, off + i).fma(FloatVector.broadcast(S, c), dev.fma(e, f)).intoArray(dx, off + i);
        }
        if (i < n) {
            VectorMask<Float> mk = S.indexInRange(i, n);
            FloatVector dev = FloatVector.fromArray(S, x, off + i, mk).sub(m);
            FloatVector.fromArray(S, dy, off + i, mk).fma(FloatVector.broadcast(S, c), dev.fma(e, f)).intoArray(dx, off + i, mk);
        }
    }

    /** Positions of one task of the per-element backward's first pass (its dγ, dβ stay in L1). */
    private static final int PB = 2048;

    /**
     * LayerNorm's backward (γ per element) in two passes over dy and x. First pass: blocks of
     * positions, the batch inside: dβ += dy and dγ += dy·x̂ accumulate in vectors per position
     * (L1 scratch), and each sample's partial Σ γ·dy and Σ γ·dy·x̂ of the block go to a table.
     * Second pass: dx per sample from the table's totals.
     */
    private static void perElementGroupBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                                float[] mean, float[] rstd, float[] gamma, int n, int g, int d) {
        int perGroup = (d + PB - 1) / PB;
        int tasks = g * perGroup;
        double[] part = new double[2 * n * tasks];
        Parallel.forRange(tasks, 5L * n * PB, t -> {
            int grp = t / perGroup;
            int k = t % perGroup;
            int i0 = k * PB;
            int len = Math.min(PB, d - i0);
            int full = len - len % L;
            int p0 = grp * d + i0;
            float[] acc = new float[2 * PB]; // dβ partials, then dγ partials
            double[] sums = new double[8];
            int b = 0;
            for (; b + 4 <= n && full == len; b += 4) { // four samples per load and store of acc
                int ng = b * g + grp;
                sums4(sums, acc, dy, x, gamma, p0, ng * d + i0, g * d, len, mean, rstd, ng, g);
                for (int q = 0; q < 4; q++) {
                    part[2 * ((ng + q * g) * perGroup + k)] = sums[2 * q];
                    part[2 * ((ng + q * g) * perGroup + k) + 1] = sums[2 * q + 1];
                }
            }
            for (; b < n; b++) {
                int ng = b * g + grp;
                int off = ng * d + i0;
                float m = mean[ng];
                float r = rstd[ng];
                FloatVector sg = FloatVector.zero(S);
                FloatVector sgx = FloatVector.zero(S);
                for (int i = 0; i < full; i += L) {
                    FloatVector gy = FloatVector.fromArray(S, dy, off + i);
                    FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(m).mul(r);
                    FloatVector.fromArray(S, acc, i).add(gy).intoArray(acc, i);
                    gy.fma(xhat, FloatVector.fromArray(S, acc, PB + i)).intoArray(acc, PB + i);
                    FloatVector gd = FloatVector.fromArray(S, gamma, p0 + i).mul(gy);
                    sg = sg.add(gd);
                    sgx = gd.fma(xhat, sgx);
                }
                if (full < len) { // masked lanes load 0: they add nothing
                    VectorMask<Float> mk = S.indexInRange(full, len);
                    FloatVector gy = FloatVector.fromArray(S, dy, off + full, mk);
                    FloatVector xhat = FloatVector.fromArray(S, x, off + full, mk).sub(m).mul(r);
                    FloatVector.fromArray(S, acc, full).add(gy).intoArray(acc, full);
                    gy.fma(xhat, FloatVector.fromArray(S, acc, PB + full)).intoArray(acc, PB + full);
                    FloatVector gd = FloatVector.fromArray(S, gamma, p0 + full, mk).mul(gy);
                    sg = sg.add(gd);
                    sgx = gd.fma(xhat, sgx);
                }
                part[2 * (ng * perGroup + k)] = VecMath.sumLanes(sg);
                part[2 * (ng * perGroup + k) + 1] = VecMath.sumLanes(sgx);
            }
            for (int i = 0; i < len; i += L) {
                VectorMask<Float> mk = S.indexInRange(i, len);
                FloatVector.fromArray(S, dbeta, p0 + i, mk).add(FloatVector.fromArray(S, acc, i)).intoArray(dbeta, p0 + i, mk);
                FloatVector.fromArray(S, dgamma, p0 + i, mk).add(FloatVector.fromArray(S, acc, PB + i)).intoArray(dgamma, p0 + i, mk);
            }
        });
        Parallel.forRange(n * g, 4L * d, ng -> {
            double sg = 0;
            double sgx = 0;
            for (int k = 0; k < perGroup; k++) {
                sg += part[2 * (ng * perGroup + k)];
                sgx += part[2 * (ng * perGroup + k) + 1];
            }
            perElementBackward(dx, dy, x, ng * d, d, gamma, (ng % g) * d, mean[ng], rstd[ng],
                    (float) (sg / d), (float) (sgx / d));
        });
    }

    /**
     * The per-element backward's first pass for four samples (dy, x of sample q at off + q·stride)
     * over one block of whole vectors: acc (dβ, dγ partials) loaded and stored once for the four;
     * out = {Σ γ·dy, Σ γ·dy·x̂} per sample.
     */
    private static void sums4(double[] out, float[] acc, float[] dy, float[] x, float[] gamma, int p0, int off, int stride,
                              int len, float[] mean, float[] rstd, int ng, int g) {
        int o0 = off;
        int o1 = off + stride;
        int o2 = off + 2 * stride;
        int o3 = off + 3 * stride;
        float m0 = mean[ng];
        float m1 = mean[ng + g];
        float m2 = mean[ng + 2 * g];
        float m3 = mean[ng + 3 * g];
        float r0 = rstd[ng];
        float r1 = rstd[ng + g];
        float r2 = rstd[ng + 2 * g];
        float r3 = rstd[ng + 3 * g];
        FloatVector sg0 = FloatVector.zero(S);
        FloatVector sg1 = FloatVector.zero(S);
        FloatVector sg2 = FloatVector.zero(S);
        FloatVector sg3 = FloatVector.zero(S);
        FloatVector sx0 = FloatVector.zero(S);
        FloatVector sx1 = FloatVector.zero(S);
        FloatVector sx2 = FloatVector.zero(S);
        FloatVector sx3 = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            FloatVector gm = FloatVector.fromArray(S, gamma, p0 + i);
            FloatVector y0 = FloatVector.fromArray(S, dy, o0 + i);
            FloatVector y1 = FloatVector.fromArray(S, dy, o1 + i);
            FloatVector y2 = FloatVector.fromArray(S, dy, o2 + i);
            FloatVector y3 = FloatVector.fromArray(S, dy, o3 + i);
            FloatVector h0 = FloatVector.fromArray(S, x, o0 + i).sub(m0).mul(r0);
            FloatVector h1 = FloatVector.fromArray(S, x, o1 + i).sub(m1).mul(r1);
            FloatVector h2 = FloatVector.fromArray(S, x, o2 + i).sub(m2).mul(r2);
            FloatVector h3 = FloatVector.fromArray(S, x, o3 + i).sub(m3).mul(r3);
            FloatVector.fromArray(S, acc, i).add(y0.add(y1).add(y2.add(y3))).intoArray(acc, i);
            FloatVector.fromArray(S, acc, PB + i).add(y0.mul(h0).add(y1.mul(h1)).add(y2.mul(h2).add(y3.mul(h3))))
                    .intoArray(acc, PB + i);
            FloatVector d0 = gm.mul(y0);
            FloatVector d1 = gm.mul(y1);
            FloatVector d2 = gm.mul(y2);
            FloatVector d3 = gm.mul(y3);
            sg0 = sg0.add(d0);
            sg1 = sg1.add(d1);
            sg2 = sg2.add(d2);
            sg3 = sg3.add(d3);
            sx0 = d0.fma(h0, sx0);
            sx1 = d1.fma(h1, sx1);
            sx2 = d2.fma(h2, sx2);
            sx3 = d3.fma(h3, sx3);
        }
        out[0] = VecMath.sumLanes(sg0);
        out[1] = VecMath.sumLanes(sx0);
        out[2] = VecMath.sumLanes(sg1);
        out[3] = VecMath.sumLanes(sx1);
        out[4] = VecMath.sumLanes(sg2);
        out[5] = VecMath.sumLanes(sx2);
        out[6] = VecMath.sumLanes(sg3);
        out[7] = VecMath.sumLanes(sx3);
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
}
