package layerlab.backend.cpu;

/**
 * The fully connected layer Y = X·Aᵀ + b and the three matrix products behind it.
 *
 * <p>All matrices are flat row-major float[]. Both products run in i-k-j order: the innermost
 * loop is c[i, j…] += a[i,k]·b[k, j…] over contiguous rows, which the JIT vectorizes (a dot
 * product's float reduction it does not). They are blocked so that a tile of the
 * right-hand matrix stays in cache while a group of rows of the result sweeps over it, and run
 * in parallel over groups of rows of the result (each thread owns its rows: no races). The
 * innermost loops are flat and contiguous — a later SIMD version vectorizes exactly these loops.
 * Compiled a second time in double precision as {@code LinearKernels64} (see compute/pom.xml).
 */
@SuppressWarnings("cast") // in the float64 twin the (float)→(double) casts become redundant
public final class LinearKernels {
    private LinearKernels() {}

    /** Rows of the result one task computes (they share the cached tile of the right operand). */
    private static final int ROWS = 8;
    /** Tile of the summation index (k). */
    private static final int TILE_K = 128;
    /** Tile of the output columns (j). */
    private static final int TILE_J = 512;
    /** Square tile of {@link #transpose}. */
    private static final int TILE_T = 32;

    // Linear: y (B,N) = x (B,M) · aᵀ (M,N) + bias (N); a: (N,M) as the lecture's N×M matrix

    /**
     * y = x·aᵀ + bias; bias may be null. aT (in, out) is scratch that receives aᵀ first, so that
     * the product runs in i-k-j order over contiguous rows (costs in·out, small beside batch·in·out).
     */
    public static void linearForward(float[] y, float[] aT, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        transpose(aT, a, out, in);
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < out; j++) {
                y[i * out + j] = bias == null ? 0f : bias[j];
            }
        }
        matmulNN(y, x, aT, batch, out, in);
    }

    /**
     * dx = dy·a (overwritten); da += dyᵀ·x; dbias += Σ_rows dy (dbias may be null). The
     * parameter gradients accumulate, as every parameter gradient does.
     */
    public static void linearBackward(float[] dx, float[] da, float[] dbias, float[] dy, float[] x, float[] a,
                                      int batch, int in, int out) {
        for (int i = 0; i < batch * in; i++) {
            dx[i] = 0f;
        }
        matmulNN(dx, dy, a, batch, in, out);
        matmulTN(da, dy, x, out, in, batch);
        if (dbias != null) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    dbias[j] += dy[i * out + j];
                }
            }
        }
    }

    // The products. c: (m,n); k is the summation length.

    /** t (cols, rows) = aᵀ for a (rows, cols); blocked so both sides stay in cache. */
    public static void transpose(float[] t, float[] a, int rows, int cols) {
        int blocks = (rows + TILE_T - 1) / TILE_T;
        Parallel.forRange(blocks, (long) TILE_T * cols, bi -> {
            int r0 = bi * TILE_T;
            int r1 = Math.min(rows, r0 + TILE_T);
            for (int c0 = 0; c0 < cols; c0 += TILE_T) {
                int c1 = Math.min(cols, c0 + TILE_T);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = a[r * cols + c];
                    }
                }
            }
        });
    }

    /** c (m,n) += a (m,k) · b (k,n), in parallel over groups of rows of c. */
    public static void matmulNN(float[] c, float[] a, float[] b, int m, int n, int k) {
        int tasks = (m + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * n * k, t -> gemmRows(c, 0, a, 0, false, b, 0, m, n, k, t * ROWS, Math.min(m, t * ROWS + ROWS)));
    }

    /** c (m,n) += aᵀ · b with a: (k,m), b: (k,n), in parallel over groups of rows of c (a read down a column). */
    public static void matmulTN(float[] c, float[] a, float[] b, int m, int n, int k) {
        int tasks = (m + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * n * k, t -> gemmRows(c, 0, a, 0, true, b, 0, m, n, k, t * ROWS, Math.min(m, t * ROWS + ROWS)));
    }

    /**
     * The one scalar product loop (here and behind ConvKernels.gemmNN/TN): rows [i0, i1) of
     * c[cOff + i·n + j] += Σ_p A(i, p) · b[bOff + p·n + j], with A(i, p) = a[aOff + i·k + p], or
     * a[aOff + p·m + i] when transA (a stored (k, m)). i-k-j order: the innermost loop is an axpy
     * over a contiguous row of b, which the JIT vectorizes; tiles of k and j keep a block of b in
     * cache while the rows sweep over it. Each element sums its k products in order of p.
     */
    static void gemmRows(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff,
                         int m, int n, int k, int i0, int i1) {
        for (int p0 = 0; p0 < k; p0 += TILE_K) {
            int p1 = Math.min(k, p0 + TILE_K);
            for (int j0 = 0; j0 < n; j0 += TILE_J) {
                int j1 = Math.min(n, j0 + TILE_J);
                for (int i = i0; i < i1; i++) {
                    int ci = cOff + i * n;
                    for (int p = p0; p < p1; p++) {
                        float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        int bp = bOff + p * n;
                        for (int j = j0; j < j1; j++) {
                            c[ci + j] += aip * b[bp + j];
                        }
                    }
                }
            }
        }
    }
}
