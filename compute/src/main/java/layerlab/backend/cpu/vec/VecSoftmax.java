package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code SoftmaxKernels}' softmax over an inner axis (inner ≥ one vector): the
 * tensor is (outer, n, inner); a task takes one o and a block of BLOCK positions s and runs the
 * scalar loop's passes (max, exp and sum, scale) row by row over the block, the per-position
 * max and sum in an L1 scratch: each row segment is a contiguous run (a stream the prefetcher
 * follows, where a vector down the n rows would touch n pages), the first pass reads the block
 * from memory, the later ones find it in L2 (n·BLOCK floats). exp is {@link VecMath#exp}
 * (≤ 2 ulp); sums run over c in the scalar loop's order.
 */
public final class VecSoftmax {
    private VecSoftmax() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Positions of one task: a multiple of L; n·BLOCK floats of x and of y stay in L2. */
    private static final int BLOCK = 512;

    /** Whether these loops take the shape: at least 16 positions after the axis (vectors run across them). */
    public static boolean accepts(int inner) {
        return inner >= 16;
    }

    public static void forward(float[] y, float[] x, int outer, int n, int inner) {
        int blocks = (inner + BLOCK - 1) / BLOCK;
        Parallel.forRange(outer * blocks, 25L * n * BLOCK, t -> {
            int o = t / blocks;
            int s0 = (t % blocks) * BLOCK;
            int w = Math.min(inner, s0 + BLOCK) - s0;
            int full = w - w % L;
            int base = o * n * inner + s0;
            float[] max = new float[BLOCK];
            float[] sum = new float[BLOCK];
            System.arraycopy(x, base, max, 0, w);
            for (int c = 1; c < n; c++) {
                int at = base + c * inner;
                int s = 0;
                for (; s < full; s += L) {
                    FloatVector v = FloatVector.fromArray(S, x, at + s);
                    FloatVector mx = FloatVector.fromArray(S, max, s);
                    mx.blend(v, v.compare(VectorOperators.GT, mx)).intoArray(max, s); // NaN never replaces, as the scalar
                }
                if (s < w) {
                    VectorMask<Float> m = S.indexInRange(s, w);
                    FloatVector v = FloatVector.fromArray(S, x, at + s, m);
                    FloatVector mx = FloatVector.fromArray(S, max, s);
                    mx.blend(v, v.compare(VectorOperators.GT, mx)).intoArray(max, s);
                }
            }
            for (int c = 0; c < n; c++) {
                int at = base + c * inner;
                int s = 0;
                for (; s < full; s += L) {
                    FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, at + s).sub(FloatVector.fromArray(S, max, s)));
                    e.intoArray(y, at + s);
                    FloatVector.fromArray(S, sum, s).add(e).intoArray(sum, s);
                }
                if (s < w) {
                    VectorMask<Float> m = S.indexInRange(s, w);
                    FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, at + s, m).sub(FloatVector.fromArray(S, max, s)));
                    e.intoArray(y, at + s, m);
                    FloatVector.fromArray(S, sum, s).add(e).intoArray(sum, s);
                }
            }
            for (int s = 0; s < w; s += L) {
                FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, sum, s)).intoArray(sum, s);
            }
            for (int c = 0; c < n; c++) {
                int at = base + c * inner;
                int s = 0;
                for (; s < full; s += L) {
                    FloatVector.fromArray(S, y, at + s).mul(FloatVector.fromArray(S, sum, s)).intoArray(y, at + s);
                }
                if (s < w) {
                    VectorMask<Float> m = S.indexInRange(s, w);
                    FloatVector.fromArray(S, y, at + s, m).mul(FloatVector.fromArray(S, sum, s)).intoArray(y, at + s, m);
                }
            }
        });
    }

    /** dx = y·(dy − Σ_c dy·y): the dot per position over the block's rows, then dx from L2. */
    public static void backward(float[] dx, float[] dy, float[] y, int outer, int n, int inner) {
        int blocks = (inner + BLOCK - 1) / BLOCK;
        Parallel.forRange(outer * blocks, 5L * n * BLOCK, t -> {
            int o = t / blocks;
            int s0 = (t % blocks) * BLOCK;
            int w = Math.min(inner, s0 + BLOCK) - s0;
            int full = w - w % L;
            int base = o * n * inner + s0;
            float[] dot = new float[BLOCK];
            for (int c = 0; c < n; c++) {
                int at = base + c * inner;
                int s = 0;
                for (; s < full; s += L) {
                    FloatVector.fromArray(S, dy, at + s).mul(FloatVector.fromArray(S, y, at + s))
                            .add(FloatVector.fromArray(S, dot, s)).intoArray(dot, s);
                }
                if (s < w) {
                    VectorMask<Float> m = S.indexInRange(s, w);
                    FloatVector.fromArray(S, dy, at + s, m).mul(FloatVector.fromArray(S, y, at + s, m))
                            .add(FloatVector.fromArray(S, dot, s)).intoArray(dot, s);
                }
            }
            for (int c = 0; c < n; c++) {
                int at = base + c * inner;
                int s = 0;
                for (; s < full; s += L) {
                    FloatVector yy = FloatVector.fromArray(S, y, at + s);
                    yy.mul(FloatVector.fromArray(S, dy, at + s).sub(FloatVector.fromArray(S, dot, s))).intoArray(dx, at + s);
                }
                if (s < w) {
                    VectorMask<Float> m = S.indexInRange(s, w);
                    FloatVector yy = FloatVector.fromArray(S, y, at + s, m);
                    yy.mul(FloatVector.fromArray(S, dy, at + s, m).sub(FloatVector.fromArray(S, dot, s))).intoArray(dx, at + s, m);
                }
            }
        });
    }
}
