package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import java.util.function.IntConsumer;
import layerlab.backend.cpu.Parallel;

/**
 * A blocked single-precision GEMM in the Vector API (the fast twin of the GEMM loops in
 * {@code ConvKernels} and {@code LinearKernels}): C (m, n) = [C +] op(A) · op(B), op = identity
 * or transpose, all matrices row-major with leading dimensions.
 *
 * <p>The three-level blocking of Goto &amp; van de Geijn, with as little packing as the shapes
 * allow. The MR×NR micro-kernel ({@link #kernel}) reads a packed A panel (MR values of one step
 * of k contiguous) and B through a table of row offsets (B(p, j) = b[row_p + j]); per step of k
 * it loads NR values of B (2 vectors), broadcasts MR values of A and issues 2·MR independent FMAs
 * into 2·MR accumulators that never leave the registers (≈ 262 GFLOP/s per core on L1-resident
 * panels on a Zen 5 machine, 98 % of the measured peak). MR depends on the register file: one
 * kernel per choice ({@link #MR}). So
 * <ul>
 *   <li>A is packed into MR-row panels per depth block — once per product when it has several
 *       tiles of C (shared read-only by the threads, {@link PackedA}), or once per call of a
 *       caller that reuses it ({@link #packA}); a caller may instead give A's rows as offsets
 *       (conv dW: the shifted views of a padded image), read in place by {@link #kernelRowsA};</li>
 *   <li>B is packed into NR-column panels (contiguous, L1-resident), except when the caller gives
 *       B as a table of row offsets into a buffer with room past its rows (an implicit matrix,
 *       such as the shifted views of a padded image in {@link VecConv}): then it is read in
 *       place.</li>
 * </ul>
 * Rows of A past m are zeros or repeat a valid row, columns of B past n are zeros or spare
 * floats; neither reaches C (rows and columns of a product are independent, and the C update
 * writes the valid part only). Depth blocks are of equal size; the first one of an overwriting
 * product stores C, the others add. Tasks are MC×NC tiles of C (narrower when there are fewer
 * tiles than threads), so threads never write the same element; buffers are per thread and
 * reused (no allocation per call once warm, except a shared packed A).
 */
public final class VecGemm {
    private VecGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Micro-tile: MR rows × NR columns of C held in 2·MR vector registers, MR chosen once for this
     * JVM's register file ({@link RegisterFile#gemmRows}): 8 where there are 32 vector registers
     * (AVX-512, and NEON or SVE at 256 bits and up), 12 at 128 bits with 32 (NEON: 4-float vectors
     * need more rows for the FMAs to hide the loads), 6 with 16 registers (AVX2, AVX, SSE: 12
     * accumulators, 2 B vectors and the broadcast A value fill 15; 8 rows would spill).
     */
    public static final int MR = RegisterFile.gemmRows(L);
    public static final int NR = 2 * L;
    /** Cache blocks: A block MC×KC (L2), B block KC×NC (L2), one B micro-panel KC×NR (L1). */
    private static final int KC = 256;
    private static final int MC = 128;
    private static final int NC = 512;
    /** Packed A block budget (floats, ≈ 384 KiB of L2). */
    private static final int A_BLOCK_FLOATS = 96 * 1024;
    /**
     * With B read in place: deeper blocks (its micro-panel rows overlap in the image, so fewer
     * distinct lines stay in L1) and wider tiles (no B block to keep in L2; A is packed once per
     * tile).
     */
    private static final int KC_DIRECT = 384;
    private static final int NC_DIRECT = 4096;
    /** The largest A block read in place (rows × KC floats ≈ 768 KiB, in L2). */
    private static final int MC_DIRECT = 768;

    /** bRow for packed B: row p of a panel starts at p·NR. */
    private static final int[] PACKED_ROWS = new int[KC_DIRECT];

    static {
        for (int p = 0; p < KC_DIRECT; p++) {
            PACKED_ROWS[p] = p * NR;
        }
    }

    /** Per-thread scratch: packed A, packed B, the C tile, A's row offsets. */
    private static final class Buffers {
        float[] ap = new float[2 * MC * KC];
        final float[] bp = new float[KC_DIRECT * NC]; // KC_DIRECT: A packed for B in place, B packed after all
        final float[] tmp = new float[MR * NR];
        int[] aRow = new int[MC_DIRECT + MR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * C = op(A)·op(B) (accumulate false) or C += op(A)·op(B). A is (m, k), or (k, m) stored when
     * transA; B is (k, n), or (n, k) stored when transB. {@code parallel}: split the tiles of C
     * over {@link Parallel}'s threads (false when the caller already runs in parallel).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        gemm(transA, transB, m, n, k, a, aOff, lda, null, b, bOff, ldb, null, c, cOff, ldc, accumulate, parallel);
    }

    /** The same with B's rows given by offsets (see below). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRowOff,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        gemm(transA, transB, m, n, k, a, aOff, lda, null, b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate, parallel);
    }

    /**
     * The general form. {@code aRowOff} (not transA; may be null): row i of A starts at
     * aRowOff[i] instead of aOff + i·lda. {@code bRowOff} (may be null): B's rows (k of them, or
     * n when transB) start at bRowOff[r] instead of bOff + r·ldb. An implicit matrix, such as the
     * shifted views of a padded image that make up im2col (VecConv), is multiplied without being
     * built; when B is not transposed and b holds at least NR floats past the end of every row,
     * it is not even copied.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, int[] aRowOff,
                            float[] b, int bOff, int ldb, int[] bRowOff,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        gemm(transA, transB, m, n, k, a, aOff, lda, aRowOff, null, b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate, parallel);
    }

    /** C (m, n) = [C +] A·op(B) with A packed beforehand by {@link #packA} (for many products with one A). */
    public static void gemm(PackedA pa, boolean transB, int n, float[] b, int bOff, int ldb, int[] bRowOff,
                            float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        gemm(false, transB, pa.m, n, pa.k, null, 0, 0, null, pa, b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate, parallel);
    }

    /** op(A) (m, k) packed once into MR-row panels per depth block, read-only, shared by threads. */
    public static final class PackedA {
        final float[] data;
        final int m;
        final int k;
        final int kcb;
        final int mPad;

        private PackedA(float[] data, int m, int k, int kcb) {
            this.data = data;
            this.m = m;
            this.k = k;
            this.kcb = kcb;
            this.mPad = roundUp(m, MR);
        }
    }

    /**
     * Packs op(A) (m, k) for {@link #gemm(PackedA, boolean, int, float[], int, int, int[], float[], int, int, boolean, boolean)}.
     * {@code bInPlace}: the products will read B in place (a row table with room past the rows),
     * which takes deeper blocks.
     */
    public static PackedA packA(boolean transA, int m, int k, float[] a, int aOff, int lda, boolean bInPlace) {
        return packA(transA, m, k, a, aOff, lda, bInPlace, false);
    }

    /** The same, packed by {@link Parallel}'s threads when {@code parallel} (blocks of 64 rows × one depth block). */
    private static PackedA packA(boolean transA, int m, int k, float[] a, int aOff, int lda, boolean bInPlace, boolean parallel) {
        int kcb = depthBlock(k, bInPlace);
        int mPad = roundUp(m, MR);
        float[] data = new float[mPad * k];
        int kBlocks = (k + kcb - 1) / kcb;
        int rowBlock = 8 * MR;
        int mBlocks = (m + rowBlock - 1) / rowBlock;
        IntConsumer pack = t -> {
            int p0 = t / mBlocks * kcb;
            int i0 = t % mBlocks * rowBlock;
            int kc = Math.min(kcb, k - p0);
            packA(data, p0 * mPad + i0 * kc, a, aOff, lda, transA, i0, Math.min(rowBlock, m - i0), p0, kc);
        };
        if (parallel) {
            Parallel.forRange(kBlocks * mBlocks, (long) rowBlock * kcb, pack);
        } else {
            for (int t = 0; t < kBlocks * mBlocks; t++) {
                pack.accept(t);
            }
        }
        return new PackedA(data, m, k, kcb);
    }

    /** Depth blocks of equal size (k = 288 as 288, not 256 + 32: every block pays a C update). */
    private static int depthBlock(int k, boolean bInPlace) {
        int kcMax = bInPlace ? KC_DIRECT : KC;
        int kBlocks = (k + kcMax - 1) / kcMax;
        return (k + kBlocks - 1) / kBlocks;
    }

    private static void gemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, int[] aRowOff, PackedA pa,
                             float[] b, int bOff, int ldb, int[] bRowOff,
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
        if (transA && aRowOff != null) {
            throw new IllegalArgumentException("aRowOff needs A as stored (not transposed)");
        }
        boolean directB = false;
        if (!transB && bRowOff != null) {
            int need = roundUp(n, NR);
            directB = true;
            for (int p = 0; p < k; p++) {
                if (bRowOff[p] < 0 || bRowOff[p] + need > b.length) {
                    directB = false;
                    break;
                }
            }
        }
        boolean directA = aRowOff != null;
        if (directA) {
            directB = false; // the kernel that reads A in place takes B packed (fewer live registers)
        }
        int mc;
        if (directA) {
            mc = m <= MC_DIRECT ? m : MC_DIRECT / 2;
        } else {
            // a small m (a batch of 256) is one block: B is packed once; with a shallow k (a batch
            // of 256 as the depth) taller blocks of A still fit L2 beside B, and B is packed fewer times
            int kcEst = Math.min(k, KC);
            int mcL2 = Math.max(MC, A_BLOCK_FLOATS / kcEst / MR * MR);
            mc = m <= 2 * MC ? m : Math.min(m, mcL2);
        }
        int tilesM = (m + mc - 1) / mc;
        int threads = parallel ? Parallel.threads() : 1;
        int ncMax = directB ? NC_DIRECT : NC;
        if (tilesM * ((n + ncMax - 1) / ncMax) < threads && n > NR) { // too few tiles for the threads: narrower ones
            ncMax = Math.max(NR, roundUp((n + threads - 1) / threads, NR));
        }
        int ncTile = ncMax;
        int tilesN = (n + ncTile - 1) / ncTile;
        if (pa == null && !directA && tilesN > 1) { // A is packed once, not once per tile of C
            pa = packA(transA, m, k, a, aOff, lda, directB, parallel);
        }
        int kcb = pa != null ? pa.kcb : depthBlock(k, directB);
        boolean dB = directB;
        PackedA pA = pa;
        if (!parallel || tilesM * tilesN == 1) {
            for (int t = 0; t < tilesM * tilesN; t++) {
                tile(t / tilesN, t % tilesN, mc, ncTile, kcb, directA, dB, transA, transB, m, n, k, a, aOff, lda, aRowOff, pA,
                        b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate);
            }
            return;
        }
        long work = 2L * mc * Math.min(n, ncTile) * k;
        Parallel.forRange(tilesM * tilesN, work, t ->
                tile(t / tilesN, t % tilesN, mc, ncTile, kcb, directA, dB, transA, transB, m, n, k, a, aOff, lda, aRowOff, pA,
                        b, bOff, ldb, bRowOff, c, cOff, ldc, accumulate));
    }

    private static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    private static void tile(int ti, int tj, int mcMax, int ncMax, int kcb, boolean directA, boolean directB, boolean transA, boolean transB,
                             int m, int n, int k, float[] a, int aOff, int lda, int[] aRowOff, PackedA pa,
                             float[] b, int bOff, int ldb, int[] bRowOff,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        Buffers buf = BUFFERS.get();
        int i0 = ti * mcMax;
        int mc = Math.min(mcMax, m - i0);
        int j0 = tj * ncMax;
        int nc = Math.min(ncMax, n - j0);
        int mPanels = (mc + MR - 1) / MR;
        int nPanels = (nc + NR - 1) / NR;
        if (buf.aRow.length < mPanels * MR) {
            buf.aRow = new int[mPanels * MR];
        }
        if (!directA && pa == null && buf.ap.length < mPanels * MR * kcb) {
            buf.ap = new float[mPanels * MR * kcb];
        }
        int[] aRow = buf.aRow;
        float[] ap = pa != null ? pa.data : buf.ap;
        float[] bp = buf.bp;
        float[] tmp = buf.tmp;
        for (int p0 = 0; p0 < k; p0 += kcb) {
            int kc = Math.min(kcb, k - p0);
            if (directA) {
                for (int i = 0; i < mc; i++) {
                    aRow[i] = aRowOff[i0 + i] + p0;
                }
                for (int i = mc; i < mPanels * MR; i++) {
                    aRow[i] = aRow[mc - 1];
                }
            } else if (pa == null) {
                packA(ap, 0, a, aOff, lda, transA, i0, mc, p0, kc);
            }
            int aBase = pa != null ? p0 * pa.mPad + i0 * kc : 0;
            float[] bSrc;
            int[] bRow;
            int bi;
            if (directB) {
                bSrc = b;
                bRow = bRowOff;
                bi = p0;
            } else {
                bSrc = bp;
                bRow = PACKED_ROWS;
                bi = 0;
                packB(bp, b, bOff, ldb, bRowOff, transB, p0, kc, j0, nc);
            }
            boolean overwrite = p0 == 0 && !accumulate;
            // a last panel of one row (m = 1, or m = 9 …) runs its own kernel: one row of four B panels
            int fullPanels = mc - (mPanels - 1) * MR == 1 ? mPanels - 1 : mPanels;
            for (int jp = 0; jp < nPanels; jp++) {
                int cols = Math.min(NR, nc - jp * NR);
                int bAdd = directB ? j0 + jp * NR : jp * NR * kc;
                for (int ip = 0; ip < fullPanels; ip++) {
                    int rows = Math.min(MR, mc - ip * MR);
                    int cAt = cOff + (i0 + ip * MR) * ldc + j0 + jp * NR;
                    if (directA) {
                        kernelRowsA(a, aRow, ip * MR, bp, bAdd, kc, tmp);
                    } else {
                        kernel(ap, aBase + ip * MR * kc, bSrc, bRow, bi, bAdd, kc, tmp);
                    }
                    if (overwrite) {
                        storeTile(c, cAt, ldc, rows, cols, tmp);
                    } else {
                        addTile(c, cAt, ldc, rows, cols, tmp);
                    }
                }
            }
            if (fullPanels < mPanels) {
                int ip = mPanels - 1;
                int cRow = cOff + (i0 + ip * MR) * ldc + j0;
                float[] bS = directA ? bp : bSrc;
                int[] bR = directA ? PACKED_ROWS : bRow;
                int bI = directA ? 0 : bi;
                for (int jp = 0; jp < nPanels; jp += 4) {
                    int q1 = Math.min(jp + 1, nPanels - 1); // past the last panel: the last again (discarded)
                    int q2 = Math.min(jp + 2, nPanels - 1);
                    int q3 = Math.min(jp + 3, nPanels - 1);
                    int step = directB && !directA ? NR : NR * kc;
                    int add0 = directB && !directA ? j0 : 0;
                    if (directA) {
                        kernelRow1(a, aRow[ip * MR], 1, bS, bR, bI, add0 + jp * step, add0 + q1 * step, add0 + q2 * step, add0 + q3 * step, kc, tmp);
                    } else {
                        kernelRow1(ap, aBase + ip * MR * kc, MR, bS, bR, bI, add0 + jp * step, add0 + q1 * step, add0 + q2 * step, add0 + q3 * step, kc, tmp);
                    }
                    for (int q = jp; q < Math.min(jp + 4, nPanels); q++) {
                        int cols = Math.min(NR, nc - q * NR);
                        int at = cRow + q * NR;
                        int t = (q - jp) * NR;
                        if (overwrite) {
                            System.arraycopy(tmp, t, c, at, cols);
                        } else {
                            for (int j = 0; j < cols; j++) {
                                c[at + j] += tmp[t + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One row of C against four B panels: tmp[q·NR + j] = Σ_p A(p) · B_q(p, j) with
     * A(p) = a[aBase + p·aStride] and B_q(p, j) = b[bRow[bi + p] + bAdd_q + j]. For a product
     * with one row (or a last panel of one row), the MR-row kernel would spend 7/8 of its FMAs
     * on padding.
     */
    private static void kernelRow1(float[] a, int aBase, int aStride, float[] b, int[] bRow, int bi,
                                   int bAdd0, int bAdd1, int bAdd2, int bAdd3, int kc, float[] tmp) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int p = 0; p < kc; p++) {
            int r = bRow[bi + p];
            FloatVector x = FloatVector.broadcast(S, a[aBase + p * aStride]);
            c00 = x.fma(FloatVector.fromArray(S, b, r + bAdd0), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, r + bAdd0 + L), c01);
            c10 = x.fma(FloatVector.fromArray(S, b, r + bAdd1), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, r + bAdd1 + L), c11);
            c20 = x.fma(FloatVector.fromArray(S, b, r + bAdd2), c20);
            c21 = x.fma(FloatVector.fromArray(S, b, r + bAdd2 + L), c21);
            c30 = x.fma(FloatVector.fromArray(S, b, r + bAdd3), c30);
            c31 = x.fma(FloatVector.fromArray(S, b, r + bAdd3 + L), c31);
        }
        c00.intoArray(tmp, 0);
        c01.intoArray(tmp, L);
        c10.intoArray(tmp, NR);
        c11.intoArray(tmp, NR + L);
        c20.intoArray(tmp, 2 * NR);
        c21.intoArray(tmp, 2 * NR + L);
        c30.intoArray(tmp, 3 * NR);
        c31.intoArray(tmp, 3 * NR + L);
    }

    /** ap from apOff: MR-row panels, [panel][p][r] = A(i0 + panel·MR + r, p0 + p), zeros past the last row. */
    private static void packA(float[] ap, int apOff, float[] a, int aOff, int lda, boolean transA, int i0, int mc, int p0, int kc) {
        for (int ip = 0, panels = (mc + MR - 1) / MR; ip < panels; ip++) {
            int base = apOff + ip * MR * kc;
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

    /**
     * The MR×NR micro-kernel on a packed A panel: tmp (MR×NR) = Σ_p A(·, p) ⊗ B(p, ·) with
     * A(r, p) = ap[aBase + p·MR + r] and B(p, j) = b[bRow[bi + p] + bAdd + j].
     */
    private static void kernel(float[] ap, int aBase, float[] b, int[] bRow, int bi, int bAdd, int kc, float[] tmp) {
        switch (MR) { // a constant: the JIT keeps one branch
            case 6 -> kernel6(ap, aBase, b, bRow, bi, bAdd, kc, tmp);
            case 12 -> kernel12(ap, aBase, b, bRow, bi, bAdd, kc, tmp);
            default -> kernel8(ap, aBase, b, bRow, bi, bAdd, kc, tmp);
        }
    }

    /** 8 rows of {@link #kernel}. */
    private static void kernel8(float[] ap, int aBase, float[] b, int[] bRow, int bi, int bAdd, int kc, float[] tmp) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bRow[bi + p] + bAdd;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
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
    }

    /**
     * The micro-kernel reading A in place: A(r, p) = a[aRow[ai + r] + p], B packed
     * (B(p, j) = bp[bBase + p·NR + j]). A separate kernel: one with both A's eight row offsets
     * and B's row table runs out of general registers and spills (≈ 15 % slower).
     */
    private static void kernelRowsA(float[] a, int[] aRow, int ai, float[] bp, int bBase, int kc, float[] tmp) {
        switch (MR) {
            case 6 -> kernelRowsA6(a, aRow, ai, bp, bBase, kc, tmp);
            case 12 -> kernelRowsA12(a, aRow, ai, bp, bBase, kc, tmp);
            default -> kernelRowsA8(a, aRow, ai, bp, bBase, kc, tmp);
        }
    }

    /** 8 rows of {@link #kernelRowsA}. */
    private static void kernelRowsA8(float[] a, int[] aRow, int ai, float[] bp, int bBase, int kc, float[] tmp) {
        int a0 = aRow[ai];
        int a1 = aRow[ai + 1];
        int a2 = aRow[ai + 2];
        int a3 = aRow[ai + 3];
        int a4 = aRow[ai + 4];
        int a5 = aRow[ai + 5];
        int a6 = aRow[ai + 6];
        int a7 = aRow[ai + 7];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
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
    }

    /** 6 rows of {@link #kernel}. */
    private static void kernel6(float[] ap, int aBase, float[] b, int[] bRow, int bi, int bAdd, int kc, float[] tmp) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bRow[bi + p] + bAdd;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            int ao = aBase + p * 6;
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
    }

    /** 12 rows of {@link #kernel}. */
    private static void kernel12(float[] ap, int aBase, float[] b, int[] bRow, int bi, int bAdd, int kc, float[] tmp) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z, c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bRow[bi + p] + bAdd;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            int ao = aBase + p * 12;
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
            x = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(S, ap[ao + 10]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = FloatVector.broadcast(S, ap[ao + 11]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
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
        c80.intoArray(tmp, 8 * NR);
        c81.intoArray(tmp, 8 * NR + L);
        c90.intoArray(tmp, 9 * NR);
        c91.intoArray(tmp, 9 * NR + L);
        c100.intoArray(tmp, 10 * NR);
        c101.intoArray(tmp, 10 * NR + L);
        c110.intoArray(tmp, 11 * NR);
        c111.intoArray(tmp, 11 * NR + L);
    }

    /** 6 rows of {@link #kernelRowsA}. */
    private static void kernelRowsA6(float[] a, int[] aRow, int ai, float[] bp, int bBase, int kc, float[] tmp) {
        int a0 = aRow[ai];
        int a1 = aRow[ai + 1];
        int a2 = aRow[ai + 2];
        int a3 = aRow[ai + 3];
        int a4 = aRow[ai + 4];
        int a5 = aRow[ai + 5];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
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
    }

    /** 12 rows of {@link #kernelRowsA}. */
    private static void kernelRowsA12(float[] a, int[] aRow, int ai, float[] bp, int bBase, int kc, float[] tmp) {
        int a0 = aRow[ai];
        int a1 = aRow[ai + 1];
        int a2 = aRow[ai + 2];
        int a3 = aRow[ai + 3];
        int a4 = aRow[ai + 4];
        int a5 = aRow[ai + 5];
        int a6 = aRow[ai + 6];
        int a7 = aRow[ai + 7];
        int a8 = aRow[ai + 8];
        int a9 = aRow[ai + 9];
        int a10 = aRow[ai + 10];
        int a11 = aRow[ai + 11];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z, c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, a[a8 + p]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, a[a9 + p]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(S, a[a10 + p]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = FloatVector.broadcast(S, a[a11 + p]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
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
        c80.intoArray(tmp, 8 * NR);
        c81.intoArray(tmp, 8 * NR + L);
        c90.intoArray(tmp, 9 * NR);
        c91.intoArray(tmp, 9 * NR + L);
        c100.intoArray(tmp, 10 * NR);
        c101.intoArray(tmp, 10 * NR + L);
        c110.intoArray(tmp, 11 * NR);
        c111.intoArray(tmp, 11 * NR + L);
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

    /** C tile = tmp (the first depth block of an overwriting product). */
    private static void storeTile(float[] c, int cBase, int ldc, int rows, int cols, float[] tmp) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tmp, r * NR, c, cBase + r * ldc, cols);
        }
    }
}
