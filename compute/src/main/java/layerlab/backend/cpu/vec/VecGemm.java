package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * A blocked single-precision GEMM in the Vector API (the fast twin of the GEMM loops in
 * {@code ConvKernels} and {@code LinearKernels}): C (m, n) = [C +] op(A) · op(B), op = identity
 * or transpose, all matrices row-major with leading dimensions.
 *
 * <p>The classic three-level blocking (Goto &amp; van de Geijn): a KC×NC block of B and an MC×KC
 * block of A are packed into contiguous micro-panels (NR columns of B, MR rows of A, zero-padded
 * at the edges), and an MR×NR register-blocked micro-kernel runs over them: per step of k it
 * loads NR values of B (2 vectors), broadcasts MR values of A and issues 2·MR independent FMAs
 * into 2·MR accumulators that never leave the registers. Tasks are MC×NC tiles of C, so
 * threads never write the same element; packing buffers are per thread and reused (no
 * allocation per call once warm).
 */
public final class VecGemm {
    private VecGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Micro-tile: MR rows × NR columns of C held in 2·MR vector registers. */
    static final int MR = 8;
    static final int NR = 2 * L;
    /** Cache blocks: A block MC×KC (L2), B block KC×NC (L2/L3), one B micro-panel KC×NR (L1). */
    private static final int KC = 256;
    private static final int MC = 128;
    private static final int NC = 512;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new float[][] {new float[MC * KC], new float[KC * NC], new float[MR * NR]});

    /**
     * C = op(A)·op(B) (accumulate false) or C += op(A)·op(B). A is (m, k), or (k, m) stored when
     * transA; B is (k, n), or (n, k) stored when transB. {@code parallel}: split the tiles of C
     * over {@link Parallel}'s threads (false when the caller already runs in parallel).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, c, cOff, ldc, accumulate, parallel);
    }

    /**
     * The same with B's rows (k of them, or n when transB) starting at bRowOff[r] instead of
     * bOff + r·ldb: an implicit matrix, such as the shifted views of a padded image that make up
     * im2col (VecConv), is multiplied without being built.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRowOff,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        int mc = m <= 2 * MC ? roundUp(m, MR) : MC; // a small m (a batch of 256) is one block: B is packed once
        int tilesM = (m + mc - 1) / mc;
        int tilesN = (n + NC - 1) / NC;
        if (!parallel || tilesM * tilesN == 1) {
            for (int t = 0; t < tilesM * tilesN; t++) {
                tile(t / tilesN, t % tilesN, mc, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate);
            }
            return;
        }
        long work = 2L * mc * Math.min(n, NC) * k;
        Parallel.forRange(tilesM * tilesN, work, t ->
                tile(t / tilesN, t % tilesN, mc, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate));
    }

    private static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    private static void tile(int ti, int tj, int mcMax, boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRowOff,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        float[][] buf = BUFFERS.get();
        int i0 = ti * mcMax;
        int mc = Math.min(mcMax, m - i0);
        int j0 = tj * NC;
        int nc = Math.min(NC, n - j0);
        int mPanels = (mc + MR - 1) / MR;
        int nPanels = (nc + NR - 1) / NR;
        if (buf[0].length < mPanels * MR * KC) {
            buf[0] = new float[mPanels * MR * KC];
        }
        float[] ap = buf[0];
        float[] bp = buf[1];
        float[] tmp = buf[2];
        if (!accumulate) { // the micro-kernel always adds to C
            for (int i = i0; i < i0 + mc; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j0 + nc, 0f);
            }
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packA(ap, a, aOff, lda, transA, i0, mc, p0, kc);
            packB(bp, b, bOff, ldb, bRowOff, transB, p0, kc, j0, nc);
            for (int jp = 0; jp < nPanels; jp++) {
                int cols = Math.min(NR, nc - jp * NR);
                for (int ip = 0; ip < mPanels; ip++) {
                    int rows = Math.min(MR, mc - ip * MR);
                    kernel(ap, ip * MR * kc, bp, jp * NR * kc, kc, c,
                            cOff + (i0 + ip * MR) * ldc + j0 + jp * NR, ldc, rows, cols, tmp);
                }
            }
        }
    }

    /** ap: MR-row panels, [panel][p][r] = A(i0 + panel·MR + r, p0 + p), zeros past the last row. */
    private static void packA(float[] ap, float[] a, int aOff, int lda, boolean transA, int i0, int mc, int p0, int kc) {
        for (int ip = 0, panels = (mc + MR - 1) / MR; ip < panels; ip++) {
            int base = ip * MR * kc;
            int rows = Math.min(MR, mc - ip * MR);
            int row0 = i0 + ip * MR;
            if (transA) { // A stored (k, m): the MR values of one p are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row0;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int src = aOff + (row0 + r) * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** bp: NR-column panels, [panel][p][j] = B(p0 + p, j0 + panel·NR + j), zeros past the last column. */
    private static void packB(float[] bp, float[] b, int bOff, int ldb, int[] rowOff, boolean transB, int p0, int kc, int j0, int nc) {
        for (int jp = 0, panels = (nc + NR - 1) / NR; jp < panels; jp++) {
            int base = jp * NR * kc;
            int cols = Math.min(NR, nc - jp * NR);
            int col0 = j0 + jp * NR;
            if (!transB) { // B stored (k, n): one p's NR values are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = (rowOff == null ? bOff + (p0 + p) * ldb : rowOff[p0 + p]) + col0;
                    int dst = base + p * NR;
                    if (cols == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    } else {
                        for (int j = 0; j < cols; j++) {
                            bp[dst + j] = b[src + j];
                        }
                        for (int j = cols; j < NR; j++) {
                            bp[dst + j] = 0f;
                        }
                    }
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int src = (rowOff == null ? bOff + (col0 + j) * ldb : rowOff[col0 + j]) + p0;
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * NR + j] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** The MR×NR micro-kernel: C tile (rows × cols valid) += Σ_p A-panel[p] ⊗ B-panel[p]. */
    private static void kernel(float[] ap, int aBase, float[] bp, int bBase, int kc, float[] c, int cBase, int ldc,
                               int rows, int cols, float[] tmp) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            int ao = aBase + p * MR;
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tmp, 0);
        c01.intoArray(tmp, L);
        c10.intoArray(tmp, NR);
        c11.intoArray(tmp, NR + L);
        c20.intoArray(tmp, 2 * NR);
        c21.intoArray(tmp, 2 * NR + L);
        c30.intoArray(tmp, 3 * NR);
        c31.intoArray(tmp, 3 * NR + L);
        c40.intoArray(tmp, 4 * NR);
        c41.intoArray(tmp, 4 * NR + L);
        c50.intoArray(tmp, 5 * NR);
        c51.intoArray(tmp, 5 * NR + L);
        c60.intoArray(tmp, 6 * NR);
        c61.intoArray(tmp, 6 * NR + L);
        c70.intoArray(tmp, 7 * NR);
        c71.intoArray(tmp, 7 * NR + L);
        addTile(c, cBase, ldc, rows, cols, tmp);
    }

    /**
     * C tile += tmp (MR×NR, valid rows × cols). NOTE: the micro-kernel only writes its
     * accumulators to tmp: kept small, C2 intrinsifies every FMA in it; with the C update and the
     * edge cases inline the graph grew past the inlining cutoff, some FMAs fell back to Java code
     * that allocates a vector per call (6× slower).
     */
    private static void addTile(float[] c, int cBase, int ldc, int rows, int cols, float[] tmp) {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                int at = cBase + r * ldc;
                FloatVector.fromArray(S, c, at).add(FloatVector.fromArray(S, tmp, r * NR)).intoArray(c, at);
                FloatVector.fromArray(S, c, at + L).add(FloatVector.fromArray(S, tmp, r * NR + L)).intoArray(c, at + L);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int at = cBase + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[at + j] += tmp[r * NR + j];
            }
        }
    }
}
