package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code LinearKernels}: y = x·aᵀ + b and its backward, for every shape. Few
 * outputs (a classifier head, 25088 → 10) run as dot products: a GEMM would pad the 10 columns
 * to a 32-wide panel and pack all of x; here register blocks of 4 rows of x × 5 rows of a run 20
 * independent FMA chains (one chain would wait on the FMA latency), so x is read once from
 * memory and the few weight rows come from cache. Every other shape is {@link VecGemm}.
 */
public final class VecLinear {
    private VecLinear() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of x and of a in one forward register block. */
    private static final int ROWS = 4;
    private static final int OUTS = 5;
    /** Columns (floats) of one backward task: its 4 KB runs of x, dx and a stay in L2. */
    private static final int CHUNK = 1024;

    /** Whether forward takes the dot products (few outputs, rows of whole vectors) rather than the GEMM. */
    static boolean fits(int in, int out) {
        return out <= 4 && in % L == 0 || out <= 16 && in % L == 0 && in >= 1024;
    }

    /** y (batch, out) = x (batch, in) · a (out, in)ᵀ + bias (bias may be null), a read as is (no transpose). */
    public static void forward(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        if (fits(in, out)) {
            forwardFewOutputs(y, x, a, bias, batch, in, out);
            return;
        }
        for (int i = 0; i < batch; i++) {
            if (bias == null) {
                java.util.Arrays.fill(y, i * out, (i + 1) * out, 0f);
            } else {
                System.arraycopy(bias, 0, y, i * out, out);
            }
        }
        VecGemm.gemm(false, true, batch, out, in, x, 0, in, a, 0, in, y, 0, out, true, true);
    }

    /**
     * y (batch, out) = x (batch, in) · a (out, in)ᵀ + bias (bias may be null). Each lane sums its
     * products in order of p, the lanes are added at the end. A task takes ROWS rows of x; the
     * last block of rows or outputs repeats its last one (computed twice, stored once).
     */
    private static void forwardFewOutputs(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        int tasks = (batch + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * in * out, t -> {
            int i0 = t * ROWS;
            int rows = Math.min(ROWS, batch - i0);
            float[] dots = new float[ROWS * OUTS];
            for (int j0 = 0; j0 < out; j0 += OUTS) {
                int outs = Math.min(OUTS, out - j0);
                dots4x5(dots, x, a, in, i0, rows, j0, outs);
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < outs; q++) {
                        float d = dots[r * OUTS + q];
                        y[(i0 + r) * out + j0 + q] = bias == null ? d : d + bias[j0 + q];
                    }
                }
            }
        });
    }

    /** dots[r·OUTS + q] = x row (i0 + r) · a row (j0 + q), r < 4, q < 5 (missing rows/outputs repeat the last). */
    private static void dots4x5(float[] dots, float[] x, float[] a, int in, int i0, int rows, int j0, int outs) {
        int x0 = i0 * in;
        int x1 = (i0 + Math.min(1, rows - 1)) * in;
        int x2 = (i0 + Math.min(2, rows - 1)) * in;
        int x3 = (i0 + Math.min(3, rows - 1)) * in;
        int a0 = j0 * in;
        int a1 = (j0 + Math.min(1, outs - 1)) * in;
        int a2 = (j0 + Math.min(2, outs - 1)) * in;
        int a3 = (j0 + Math.min(3, outs - 1)) * in;
        int a4 = (j0 + Math.min(4, outs - 1)) * in;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s04 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00, s14 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00, s24 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00, s34 = s00;
        for (int p = 0; p < in; p += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + p);
            FloatVector v1 = FloatVector.fromArray(S, x, x1 + p);
            FloatVector v2 = FloatVector.fromArray(S, x, x2 + p);
            FloatVector v3 = FloatVector.fromArray(S, x, x3 + p);
            FloatVector w = FloatVector.fromArray(S, a, a0 + p);
            s00 = v0.fma(w, s00);
            s10 = v1.fma(w, s10);
            s20 = v2.fma(w, s20);
            s30 = v3.fma(w, s30);
            w = FloatVector.fromArray(S, a, a1 + p);
            s01 = v0.fma(w, s01);
            s11 = v1.fma(w, s11);
            s21 = v2.fma(w, s21);
            s31 = v3.fma(w, s31);
            w = FloatVector.fromArray(S, a, a2 + p);
            s02 = v0.fma(w, s02);
            s12 = v1.fma(w, s12);
            s22 = v2.fma(w, s22);
            s32 = v3.fma(w, s32);
            w = FloatVector.fromArray(S, a, a3 + p);
            s03 = v0.fma(w, s03);
            s13 = v1.fma(w, s13);
            s23 = v2.fma(w, s23);
            s33 = v3.fma(w, s33);
            w = FloatVector.fromArray(S, a, a4 + p);
            s04 = v0.fma(w, s04);
            s14 = v1.fma(w, s14);
            s24 = v2.fma(w, s24);
            s34 = v3.fma(w, s34);
        }
        dots[0] = VecMath.sumLanes(s00);
        dots[1] = VecMath.sumLanes(s01);
        dots[2] = VecMath.sumLanes(s02);
        dots[3] = VecMath.sumLanes(s03);
        dots[4] = VecMath.sumLanes(s04);
        dots[5] = VecMath.sumLanes(s10);
        dots[6] = VecMath.sumLanes(s11);
        dots[7] = VecMath.sumLanes(s12);
        dots[8] = VecMath.sumLanes(s13);
        dots[9] = VecMath.sumLanes(s14);
        dots[10] = VecMath.sumLanes(s20);
        dots[11] = VecMath.sumLanes(s21);
        dots[12] = VecMath.sumLanes(s22);
        dots[13] = VecMath.sumLanes(s23);
        dots[14] = VecMath.sumLanes(s24);
        dots[15] = VecMath.sumLanes(s30);
        dots[16] = VecMath.sumLanes(s31);
        dots[17] = VecMath.sumLanes(s32);
        dots[18] = VecMath.sumLanes(s33);
        dots[19] = VecMath.sumLanes(s34);
    }

    /** Whether backward takes the column-chunk loops rather than two GEMMs. */
    static boolean fitsBackward(int in, int out) {
        return out <= 16 && in % L == 0;
    }

    /**
     * dx = dy·a (overwritten), da += dyᵀ·x, dbias += Σ_rows dy (dbias may be null): the loops
     * below for few outputs, else LinearKernels.linearBackward's steps with {@link VecGemm}'s products.
     */
    public static void backward(float[] dx, float[] da, float[] dbias, float[] dy, float[] x, float[] a,
                                int batch, int in, int out) {
        if (fitsBackward(in, out)) {
            backwardFewOutputs(dx, da, dbias, dy, x, a, batch, in, out);
            return;
        }
        java.util.Arrays.fill(dx, 0, batch * in, 0f);
        VecGemm.gemm(false, false, batch, in, out, dy, 0, out, a, 0, in, dx, 0, in, true, true);  // dx += dy·a
        VecGemm.gemm(true, false, out, in, batch, dy, 0, out, x, 0, in, da, 0, in, true, true);   // da += dyᵀ·x
        if (dbias != null) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    dbias[j] += dy[i * out + j];
                }
            }
        }
    }

    /**
     * dx = dy·a (overwritten), da += dyᵀ·x, dbias += Σ_rows dy (dbias may be null), for few outputs.
     * Tasks are column chunks (each owns its columns of dx and da). dx: per pair of rows, four
     * vectors of columns at a time, the sum over j in order; da: per four outputs and four
     * vectors of columns, 16 accumulators over the batch in order, loaded and stored once.
     */
    private static void backwardFewOutputs(float[] dx, float[] da, float[] dbias, float[] dy, float[] x, float[] a,
                                           int batch, int in, int out) {
        int chunks = (in + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 4L * CHUNK * out * batch, t -> {
            int p0 = t * CHUNK;
            int p1 = Math.min(in, p0 + CHUNK);
            for (int i = 0; i < batch; i += 2) {
                dxRows(dx, dy, a, in, out, i, Math.min(i + 1, batch - 1), p0, p1);
            }
            for (int j = 0; j < out; j += 4) {
                daBlock(da, dy, x, in, out, batch, j, Math.min(4, out - j), p0, p1);
            }
        });
        if (dbias != null) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    dbias[j] += dy[i * out + j];
                }
            }
        }
    }

    /** dx rows i and k (k = i for an odd last row) over columns [p0, p1): Σ_j dy[·, j]·a[j, ·] in order of j. */
    private static void dxRows(float[] dx, float[] dy, float[] a, int in, int out, int i, int k, int p0, int p1) {
        int p = p0;
        for (; p + 4 * L <= p1; p += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            FloatVector t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            for (int j = 0; j < out; j++) {
                FloatVector g = FloatVector.broadcast(S, dy[i * out + j]);
                FloatVector h = FloatVector.broadcast(S, dy[k * out + j]);
                int at = j * in + p;
                FloatVector w0 = FloatVector.fromArray(S, a, at);
                FloatVector w1 = FloatVector.fromArray(S, a, at + L);
                FloatVector w2 = FloatVector.fromArray(S, a, at + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, a, at + 3 * L);
                s0 = w0.fma(g, s0);
                s1 = w1.fma(g, s1);
                s2 = w2.fma(g, s2);
                s3 = w3.fma(g, s3);
                t0 = w0.fma(h, t0);
                t1 = w1.fma(h, t1);
                t2 = w2.fma(h, t2);
                t3 = w3.fma(h, t3);
            }
            s0.intoArray(dx, i * in + p);
            s1.intoArray(dx, i * in + p + L);
            s2.intoArray(dx, i * in + p + 2 * L);
            s3.intoArray(dx, i * in + p + 3 * L);
            t0.intoArray(dx, k * in + p);
            t1.intoArray(dx, k * in + p + L);
            t2.intoArray(dx, k * in + p + 2 * L);
            t3.intoArray(dx, k * in + p + 3 * L);
        }
        for (; p < p1; p += L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector t0 = s0;
            for (int j = 0; j < out; j++) {
                FloatVector w0 = FloatVector.fromArray(S, a, j * in + p);
                s0 = w0.fma(FloatVector.broadcast(S, dy[i * out + j]), s0);
                t0 = w0.fma(FloatVector.broadcast(S, dy[k * out + j]), t0);
            }
            s0.intoArray(dx, i * in + p);
            t0.intoArray(dx, k * in + p);
        }
    }

    /** da rows j … j+n−1 (n ≤ 4) over columns [p0, p1) += Σ_i dy[i, ·]·x[i, ·], over i in order. */
    private static void daBlock(float[] da, float[] dy, float[] x, int in, int out, int batch, int j, int n,
                               int p0, int p1) {
        int j1 = j + Math.min(1, n - 1);
        int j2 = j + Math.min(2, n - 1);
        int j3 = j + Math.min(3, n - 1);
        int p = p0;
        for (; p + 4 * L <= p1; p += 4 * L) {
            FloatVector c00 = FloatVector.fromArray(S, da, j * in + p);
            FloatVector c01 = FloatVector.fromArray(S, da, j * in + p + L);
            FloatVector c02 = FloatVector.fromArray(S, da, j * in + p + 2 * L);
            FloatVector c03 = FloatVector.fromArray(S, da, j * in + p + 3 * L);
            FloatVector c10 = FloatVector.fromArray(S, da, j1 * in + p);
            FloatVector c11 = FloatVector.fromArray(S, da, j1 * in + p + L);
            FloatVector c12 = FloatVector.fromArray(S, da, j1 * in + p + 2 * L);
            FloatVector c13 = FloatVector.fromArray(S, da, j1 * in + p + 3 * L);
            FloatVector c20 = FloatVector.fromArray(S, da, j2 * in + p);
            FloatVector c21 = FloatVector.fromArray(S, da, j2 * in + p + L);
            FloatVector c22 = FloatVector.fromArray(S, da, j2 * in + p + 2 * L);
            FloatVector c23 = FloatVector.fromArray(S, da, j2 * in + p + 3 * L);
            FloatVector c30 = FloatVector.fromArray(S, da, j3 * in + p);
            FloatVector c31 = FloatVector.fromArray(S, da, j3 * in + p + L);
            FloatVector c32 = FloatVector.fromArray(S, da, j3 * in + p + 2 * L);
            FloatVector c33 = FloatVector.fromArray(S, da, j3 * in + p + 3 * L);
            for (int i = 0; i < batch; i++) {
                int at = i * in + p;
                FloatVector v0 = FloatVector.fromArray(S, x, at);
                FloatVector v1 = FloatVector.fromArray(S, x, at + L);
                FloatVector v2 = FloatVector.fromArray(S, x, at + 2 * L);
                FloatVector v3 = FloatVector.fromArray(S, x, at + 3 * L);
                FloatVector g = FloatVector.broadcast(S, dy[i * out + j]);
                c00 = v0.fma(g, c00);
                c01 = v1.fma(g, c01);
                c02 = v2.fma(g, c02);
                c03 = v3.fma(g, c03);
                g = FloatVector.broadcast(S, dy[i * out + j1]);
                c10 = v0.fma(g, c10);
                c11 = v1.fma(g, c11);
                c12 = v2.fma(g, c12);
                c13 = v3.fma(g, c13);
                g = FloatVector.broadcast(S, dy[i * out + j2]);
                c20 = v0.fma(g, c20);
                c21 = v1.fma(g, c21);
                c22 = v2.fma(g, c22);
                c23 = v3.fma(g, c23);
                g = FloatVector.broadcast(S, dy[i * out + j3]);
                c30 = v0.fma(g, c30);
                c31 = v1.fma(g, c31);
                c32 = v2.fma(g, c32);
                c33 = v3.fma(g, c33);
            }
            // a repeated row (n < 4) holds the same sums in each copy
            c30.intoArray(da, j3 * in + p);
            c31.intoArray(da, j3 * in + p + L);
            c32.intoArray(da, j3 * in + p + 2 * L);
            c33.intoArray(da, j3 * in + p + 3 * L);
            c20.intoArray(da, j2 * in + p);
            c21.intoArray(da, j2 * in + p + L);
            c22.intoArray(da, j2 * in + p + 2 * L);
            c23.intoArray(da, j2 * in + p + 3 * L);
            c10.intoArray(da, j1 * in + p);
            c11.intoArray(da, j1 * in + p + L);
            c12.intoArray(da, j1 * in + p + 2 * L);
            c13.intoArray(da, j1 * in + p + 3 * L);
            c00.intoArray(da, j * in + p);
            c01.intoArray(da, j * in + p + L);
            c02.intoArray(da, j * in + p + 2 * L);
            c03.intoArray(da, j * in + p + 3 * L);
        }
        for (; p < p1; p += L) {
            for (int q = j; q < j + n; q++) {
                FloatVector c = FloatVector.fromArray(S, da, q * in + p);
                for (int i = 0; i < batch; i++) {
                    c = FloatVector.fromArray(S, x, i * in + p).fma(FloatVector.broadcast(S, dy[i * out + q]), c);
                }
                c.intoArray(da, q * in + p);
            }
        }
    }
}
