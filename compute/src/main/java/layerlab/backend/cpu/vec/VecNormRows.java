package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * Batch norm where the plane after the channel axis is small: rank 2 (N, C), a plane of one
 * value, and planes up to {@link #MAX_PLANE} values (4×4). {@link VecNorm} runs its vectors
 * along each plane, which here holds less than one vector; these loops see x as N rows of
 * W = C·S contiguous values and run the vectors ALONG THE ROW, across the channels: column j
 * belongs to channel j / S. The statistics are column sums over the rows (a task takes a strip of
 * columns down all N rows), reduced over each channel's S columns; y and dx are row loops with
 * the per-channel constants spread out to per-column arrays.
 *
 * <p>Sums: in float lanes over at most {@link #ROWS} rows, then added into double per column —
 * the scalar loop sums everything in double; the parity test bounds the difference (1e-5).
 * y and dx round as the scalar loop does (the same operations in the same order).
 */
public final class VecNormRows {
    private VecNormRows() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The largest plane these loops take (4×4): beyond, VecNorm's vectors along the plane fill up. */
    public static final int MAX_PLANE = 16;
    /** Rows summed in float lanes before the partial sums go into double. */
    private static final int ROWS = 64;
    /** Columns of one task (a multiple of every vector length). */
    private static final int STRIP = 512;

    /** null for a whole vector at j (then the loads are plain), else the mask of the tail [j, end). */
    private static VectorMask<Float> tail(int j, int end) {
        return j + L <= end ? null : S.indexInRange(j, end);
    }

    private static FloatVector load(float[] a, int i, VectorMask<Float> m) {
        return m == null ? FloatVector.fromArray(S, a, i) : FloatVector.fromArray(S, a, i, m);
    }

    private static void store(FloatVector v, float[] a, int i, VectorMask<Float> m) {
        if (m == null) {
            v.intoArray(a, i);
        } else {
            v.intoArray(a, i, m);
        }
    }

    /** Whether these loops take the shape: a plane of at most MAX_PLANE values (rank 2: s = 1). */
    public static boolean accepts(int s) {
        return s <= MAX_PLANE;
    }

    // ---- column sums over the n rows of a (n, w) array, columns [j0, j1) ----

    /** out[j] += Σ_b a[b·w + j] (mu null) or Σ_b (a[b·w + j] − mu[j])². */
    private static void columnSums(double[] out, float[] a, float[] mu, int n, int w, int j0, int j1) {
        float[] part = new float[j1 - j0];
        for (int b0 = 0; b0 < n; b0 += ROWS) {
            java.util.Arrays.fill(part, 0f);
            for (int b = b0, bEnd = Math.min(n, b0 + ROWS); b < bEnd; b++) {
                int row = b * w;
                for (int j = j0; j < j1; j += L) {
                    VectorMask<Float> m = tail(j, j1);
                    FloatVector v = load(a, row + j, m);
                    if (mu != null) {
                        v = v.sub(load(mu, j, m));
                        v = v.mul(v);
                    }
                    store(load(part, j - j0, m).add(v), part, j - j0, m);
                }
            }
            for (int j = j0; j < j1; j++) {
                out[j] += part[j - j0];
            }
        }
    }

    /** sg[j] += Σ_b dy, sgx[j] += Σ_b dy·(x − mu[j])·r[j], columns [j0, j1). */
    private static void columnSumsDy(double[] sg, double[] sgx, float[] dy, float[] x, float[] mu, float[] r,
                                     int n, int w, int j0, int j1) {
        float[] pg = new float[j1 - j0];
        float[] pgx = new float[j1 - j0];
        for (int b0 = 0; b0 < n; b0 += ROWS) {
            java.util.Arrays.fill(pg, 0f);
            java.util.Arrays.fill(pgx, 0f);
            for (int b = b0, bEnd = Math.min(n, b0 + ROWS); b < bEnd; b++) {
                int row = b * w;
                for (int j = j0; j < j1; j += L) {
                    VectorMask<Float> m = tail(j, j1);
                    FloatVector g = load(dy, row + j, m);
                    FloatVector xhat = load(x, row + j, m).sub(load(mu, j, m))
                            .mul(load(r, j, m));
                    store(load(pg, j - j0, m).add(g), pg, j - j0, m);
                    store(g.fma(xhat, load(pgx, j - j0, m)), pgx, j - j0, m);
                }
            }
            for (int j = j0; j < j1; j++) {
                sg[j] += pg[j - j0];
                sgx[j] += pgx[j - j0];
            }
        }
    }

    /** The column sums of the whole array, strips in parallel. */
    private static void allColumns(int w, long n, StripBody body) {
        int strips = (w + STRIP - 1) / STRIP;
        Parallel.forRange(strips, 2L * n * STRIP, t -> body.run(t * STRIP, Math.min(w, (t + 1) * STRIP)));
    }

    private interface StripBody {
        void run(int j0, int j1);
    }

    /** A per-channel value spread over the channel's s columns. */
    private static float[] perColumn(float[] perChannel, int c, int s) {
        float[] col = new float[c * s];
        for (int j = 0; j < col.length; j++) {
            col[j] = perChannel[j / s];
        }
        return col;
    }

    /** Σ over channel ch's s columns. */
    private static double channel(double[] col, int ch, int s) {
        double t = 0;
        for (int k = 0; k < s; k++) {
            t += col[ch * s + k];
        }
        return t;
    }

    // ---- batch norm: x (N, C, S), S ≤ MAX_PLANE ----

    public static void batchNormStats(float[] mean, float[] var, float[] x, int n, int c, int s) {
        int w = c * s;
        double count = (double) n * s;
        double[] sum = new double[w];
        allColumns(w, n, (j0, j1) -> columnSums(sum, x, null, n, w, j0, j1));
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (float) (channel(sum, ch, s) / count);
        }
        double[] sq = new double[w];
        float[] mu = perColumn(mean, c, s);
        allColumns(w, n, (j0, j1) -> columnSums(sq, x, mu, n, w, j0, j1));
        for (int ch = 0; ch < c; ch++) {
            var[ch] = (float) (channel(sq, ch, s) / count);
        }
    }

    /** y = (x − mean)·(γ·rstd) + β, optionally max(0, ·) (the fused inference form). */
    public static void batchNormForward(float[] y, float[] x, float[] mean, float[] rstd,
                                        float[] gamma, float[] beta, int n, int c, int s, boolean relu) {
        int w = c * s;
        float[] scale = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = gamma[ch] * rstd[ch];
        }
        float[] m = perColumn(mean, c, s);
        float[] k = perColumn(scale, c, s);
        float[] b = perColumn(beta, c, s);
        Parallel.forRange(n, 3L * w, row -> {
            int off = row * w;
            for (int j = 0; j < w; j += L) {
                VectorMask<Float> mk = tail(j, w);
                FloatVector v = load(x, off + j, mk).sub(load(m, j, mk))
                        .mul(load(k, j, mk)).add(load(b, j, mk));
                if (relu) {
                    v = v.blend(0f, v.compare(VectorOperators.LE, 0f)); // NaN stays NaN
                }
                store(v, y, off + j, mk);
            }
        });
    }

    public static void batchNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x,
                                         float[] mean, float[] rstd, float[] gamma,
                                         int n, int c, int s, boolean batchStatistics) {
        int w = c * s;
        double count = (double) n * s;
        float[] mu = perColumn(mean, c, s);
        float[] r = perColumn(rstd, c, s);
        double[] sg = new double[w];
        double[] sgx = new double[w];
        allColumns(w, 2L * n, (j0, j1) -> columnSumsDy(sg, sgx, dy, x, mu, r, n, w, j0, j1));
        float[] kc = new float[c];
        float[] a = new float[c];
        float[] bb = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sumDy = channel(sg, ch, s);
            double sumDyXhat = channel(sgx, ch, s);
            dbeta[ch] += (float) sumDy;
            dgamma[ch] += (float) sumDyXhat;
            kc[ch] = gamma[ch] * rstd[ch];
            a[ch] = batchStatistics ? (float) (sumDy / count) : 0f;
            bb[ch] = batchStatistics ? (float) (sumDyXhat / count) : 0f;
        }
        float[] k = perColumn(kc, c, s);
        float[] meanDy = perColumn(a, c, s);
        float[] meanDyXhat = perColumn(bb, c, s);
        Parallel.forRange(n, 5L * w, row -> {
            int off = row * w;
            for (int j = 0; j < w; j += L) {
                VectorMask<Float> m = tail(j, w);
                FloatVector g = load(dy, off + j, m);
                FloatVector kk = load(k, j, m);
                if (!batchStatistics) { // running statistics: dx = k·dy, x does not enter (NaN in x stays out)
                    store(kk.mul(g), dx, off + j, m);
                    continue;
                }
                FloatVector xhat = load(x, off + j, m).sub(load(mu, j, m))
                        .mul(load(r, j, m));
                FloatVector inner = g.sub(load(meanDy, j, m))
                        .sub(xhat.mul(load(meanDyXhat, j, m)));
                store(kk.mul(inner), dx, off + j, m);
            }
        });
    }
}
