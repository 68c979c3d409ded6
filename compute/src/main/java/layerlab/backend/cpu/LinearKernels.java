package layerlab.backend.cpu;

/**
 * The fully connected layer Y = X·Aᵀ + b and the three matrix products behind it.
 *
 * <p>All matrices are flat row-major float[]. The products are blocked so that a tile of the
 * right-hand matrix stays in cache while a group of rows of the result sweeps over it, and run
 * in parallel over groups of rows of the result (each thread owns its rows: no races). The
 * innermost loops are flat and contiguous — a later SIMD version vectorizes exactly these loops.
 * Compiled a second time in double precision as {@code LinearKernels64} (see compute/pom.xml).
 */
public final class LinearKernels {
    private LinearKernels() {}

    /** Rows of the result one task computes (they share the cached tile of the right operand). */
    private static final int ROWS = 8;
    /** Tile of the summation index (k). */
    private static final int TILE_K = 128;
    /** Tile of the output columns (j). */
    private static final int TILE_J = 512;
    /** Rows of b (each of length k) kept in cache by matmulNT. */
    private static final int TILE_B_ROWS = 64;

    // Linear: y (B,N) = x (B,M) · aᵀ (M,N) + bias (N); a: (N,M) as the lecture's N×M matrix

    /** y = x·aᵀ + bias; bias may be null. */
    public static void linearForward(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        matmulNT(y, x, a, batch, out, in);
        if (bias != null) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    y[i * out + j] += bias[j];
                }
            }
        }
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

    /**
     * c (m,n) = a (m,k) · bᵀ, b: (n,k) — overwritten. Both operands are read along their rows:
     * each c[i,j] is a dot product of two contiguous rows of length k.
     */
    public static void matmulNT(float[] c, float[] a, float[] b, int m, int n, int k) {
        int tasks = (m + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * n * k, t -> {
            int i0 = t * ROWS;
            int i1 = Math.min(m, i0 + ROWS);
            for (int j0 = 0; j0 < n; j0 += TILE_B_ROWS) {
                int j1 = Math.min(n, j0 + TILE_B_ROWS);
                for (int i = i0; i < i1; i++) {
                    int ai = i * k;
                    for (int j = j0; j < j1; j++) {
                        int bj = j * k;
                        float sum = 0f;
                        for (int p = 0; p < k; p++) {
                            sum += a[ai + p] * b[bj + p];
                        }
                        c[i * n + j] = sum;
                    }
                }
            }
        });
    }

    /** c (m,n) += a (m,k) · b (k,n), i-k-j order: the innermost loop is an axpy over a row of b. */
    public static void matmulNN(float[] c, float[] a, float[] b, int m, int n, int k) {
        int tasks = (m + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * n * k, t -> {
            int i0 = t * ROWS;
            int i1 = Math.min(m, i0 + ROWS);
            for (int p0 = 0; p0 < k; p0 += TILE_K) {
                int p1 = Math.min(k, p0 + TILE_K);
                for (int j0 = 0; j0 < n; j0 += TILE_J) {
                    int j1 = Math.min(n, j0 + TILE_J);
                    for (int i = i0; i < i1; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            float aip = a[i * k + p];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) {
                                c[ci + j] += aip * b[bp + j];
                            }
                        }
                    }
                }
            }
        });
    }

    /** c (m,n) += aᵀ · b with a: (k,m), b: (k,n), i-k-j order (a read down a column). */
    public static void matmulTN(float[] c, float[] a, float[] b, int m, int n, int k) {
        int tasks = (m + ROWS - 1) / ROWS;
        Parallel.forRange(tasks, 2L * ROWS * n * k, t -> {
            int i0 = t * ROWS;
            int i1 = Math.min(m, i0 + ROWS);
            for (int p0 = 0; p0 < k; p0 += TILE_K) {
                int p1 = Math.min(k, p0 + TILE_K);
                for (int j0 = 0; j0 < n; j0 += TILE_J) {
                    int j1 = Math.min(n, j0 + TILE_J);
                    for (int i = i0; i < i1; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            float api = a[p * m + i];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) {
                                c[ci + j] += api * b[bp + j];
                            }
                        }
                    }
                }
            }
        });
    }
}
