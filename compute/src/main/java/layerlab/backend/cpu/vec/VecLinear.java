package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * Linear with few outputs (a classifier head, 25088 → 10): y = x·aᵀ + b as dot products. A
 * GEMM would pad the 10 columns to a 32-wide panel and pack all of x; here each row of x is
 * read once and multiplied with up to 16 rows of a (the weight stays in L2), rows of x split
 * over the threads.
 */
public final class VecLinear {
    private VecLinear() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Depth of one pass: a block of x's row and of every weight row stays in L1. */
    private static final int BLOCK = 512;

    /** Whether {@link #forward} handles this shape (few outputs, rows of whole vectors). */
    public static boolean fits(int in, int out) {
        return out <= 4 && in % L == 0 || out <= 16 && in % L == 0 && in >= 1024;
    }

    /** y (batch, out) = x (batch, in) · a (out, in)ᵀ + bias (bias may be null). */
    public static void forward(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        Parallel.forRange(batch, 2L * in * out, i -> {
            float[] acc = new float[out * L];
            for (int p0 = 0; p0 < in; p0 += BLOCK) {
                int p1 = Math.min(in, p0 + BLOCK);
                for (int j = 0; j < out; j++) {
                    FloatVector s = FloatVector.fromArray(S, acc, j * L);
                    int xr = i * in;
                    int ar = j * in;
                    for (int p = p0; p < p1; p += L) {
                        s = FloatVector.fromArray(S, x, xr + p).fma(FloatVector.fromArray(S, a, ar + p), s);
                    }
                    s.intoArray(acc, j * L);
                }
            }
            for (int j = 0; j < out; j++) {
                float dot = FloatVector.fromArray(S, acc, j * L).reduceLanes(VectorOperators.ADD);
                y[i * out + j] = bias == null ? dot : dot + bias[j];
            }
        });
    }

    /** Whether {@link #backward} handles this shape. */
    public static boolean fitsBackward(int in, int out) {
        return out <= 16 && in % L == 0;
    }

    /**
     * dx = dy·a (overwritten), da += dyᵀ·x, dbias += Σ_rows dy (dbias may be null), for few outputs:
     * dx row by row as a sum of `out` scaled rows of a; da by column blocks (each thread owns its
     * columns), the batch inside, so x is read once.
     */
    public static void backward(float[] dx, float[] da, float[] dbias, float[] dy, float[] x, float[] a,
                                int batch, int in, int out) {
        Parallel.forRange(batch, 2L * in * out, i -> {
            for (int p = 0; p < in; p += L) {
                FloatVector s = FloatVector.zero(S);
                for (int j = 0; j < out; j++) {
                    s = FloatVector.fromArray(S, a, j * in + p).fma(FloatVector.broadcast(S, dy[i * out + j]), s);
                }
                s.intoArray(dx, i * in + p);
            }
        });
        int blocks = (in + BLOCK - 1) / BLOCK;
        Parallel.forRange(blocks, 2L * BLOCK * out * batch, t -> {
            int p0 = t * BLOCK;
            int p1 = Math.min(in, p0 + BLOCK);
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    FloatVector g = FloatVector.broadcast(S, dy[i * out + j]);
                    for (int p = p0; p < p1; p += L) {
                        FloatVector.fromArray(S, x, i * in + p).fma(g, FloatVector.fromArray(S, da, j * in + p)).intoArray(da, j * in + p);
                    }
                }
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
}
