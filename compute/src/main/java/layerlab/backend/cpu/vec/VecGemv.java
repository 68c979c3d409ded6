package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * Linear's forward for a batch of at most {@link #MAX_BATCH} rows (inference on one image, a
 * batch of 1 … 4): y = x·aᵀ + b as matrix-vector products. The GEMM would pack a (all of it, for
 * 1 to 4 rows of use) and run a micro-tile mostly empty; here each weight row streams from
 * memory once, is multiplied with every row of x (from L1), and the outputs are split over the
 * threads in blocks — the work is bound by reading a, so the speed is the memory bandwidth.
 * Two outputs × up to four rows of x: 8 accumulators, which fits AVX2's 16 registers too.
 * Any {@code in} (the tail one masked vector). Each lane sums its products in order of p.
 */
public final class VecGemv {
    private VecGemv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The largest batch these loops take; from 5 rows on the GEMM's reuse of a pays. */
    public static final int MAX_BATCH = 4;
    /** Outputs of one task (an even number). */
    private static final int BLOCK = 32;

    /** Whether forward takes the shape: a batch of at most MAX_BATCH rows. */
    public static boolean accepts(int batch) {
        return batch <= MAX_BATCH;
    }

    /** y (batch, out) = x (batch, in) · a (out, in)ᵀ + bias (bias may be null). */
    public static void forward(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        int blocks = (out + BLOCK - 1) / BLOCK;
        Parallel.forRange(blocks, 2L * BLOCK * in * batch, t -> {
            float[] dots = new float[2 * MAX_BATCH];
            for (int j = t * BLOCK, end = Math.min(out, (t + 1) * BLOCK); j < end; j += 2) {
                int pair = Math.min(2, end - j);
                dots(dots, x, a, in, batch, j, j + pair - 1);
                for (int r = 0; r < batch; r++) {
                    for (int q = 0; q < pair; q++) {
                        float d = dots[q * MAX_BATCH + r];
                        y[r * out + j + q] = bias == null ? d : d + bias[j + q];
                    }
                }
            }
        });
    }

    /** dots[q·4 + r] = x row r · a row (q = 0: j0, q = 1: j1), r < batch (missing rows repeat the last). */
    private static void dots(float[] dots, float[] x, float[] a, int in, int batch, int j0, int j1) {
        int x0 = 0;
        int x1 = Math.min(1, batch - 1) * in;
        int x2 = Math.min(2, batch - 1) * in;
        int x3 = Math.min(3, batch - 1) * in;
        int a0 = j0 * in;
        int a1 = j1 * in;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        int p = 0;
        for (; p <= in - L; p += L) {
            FloatVector w0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector w1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector v = FloatVector.fromArray(S, x, x0 + p);
            s00 = v.fma(w0, s00);
            s10 = v.fma(w1, s10);
            v = FloatVector.fromArray(S, x, x1 + p);
            s01 = v.fma(w0, s01);
            s11 = v.fma(w1, s11);
            v = FloatVector.fromArray(S, x, x2 + p);
            s02 = v.fma(w0, s02);
            s12 = v.fma(w1, s12);
            v = FloatVector.fromArray(S, x, x3 + p);
            s03 = v.fma(w0, s03);
            s13 = v.fma(w1, s13);
        }
        if (p < in) {
            VectorMask<Float> m = S.indexInRange(p, in);
            FloatVector w0 = FloatVector.fromArray(S, a, a0 + p, m);
            FloatVector w1 = FloatVector.fromArray(S, a, a1 + p, m);
            FloatVector v = FloatVector.fromArray(S, x, x0 + p, m);
            s00 = v.fma(w0, s00);
            s10 = v.fma(w1, s10);
            v = FloatVector.fromArray(S, x, x1 + p, m);
            s01 = v.fma(w0, s01);
            s11 = v.fma(w1, s11);
            v = FloatVector.fromArray(S, x, x2 + p, m);
            s02 = v.fma(w0, s02);
            s12 = v.fma(w1, s12);
            v = FloatVector.fromArray(S, x, x3 + p, m);
            s03 = v.fma(w0, s03);
            s13 = v.fma(w1, s13);
        }
        dots[0] = VecMath.sumLanes(s00);
        dots[1] = VecMath.sumLanes(s01);
        dots[2] = VecMath.sumLanes(s02);
        dots[3] = VecMath.sumLanes(s03);
        dots[4] = VecMath.sumLanes(s10);
        dots[5] = VecMath.sumLanes(s11);
        dots[6] = VecMath.sumLanes(s12);
        dots[7] = VecMath.sumLanes(s13);
    }
}
