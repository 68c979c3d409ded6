package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code SoftmaxKernels}' softmax over an inner axis (inner ≥ one vector): the
 * tensor is (outer, n, inner); a task takes one o and a block of BLOCK positions s and runs the
 * scalar loop's three passes (max, exp and sum, scale) with vectors across s. exp is
 * {@link VecMath#exp} (≤ 2 ulp).
 */
public final class VecSoftmax {
    private VecSoftmax() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 32 * L;

    public static void forward(float[] y, float[] x, int outer, int n, int inner) {
        int blocks = (inner + BLOCK - 1) / BLOCK;
        Parallel.forRange(outer * blocks, 25L * n * BLOCK, t -> {
            int o = t / blocks;
            int s0 = (t % blocks) * BLOCK;
            int s1 = Math.min(inner, s0 + BLOCK);
            int base = o * n * inner;
            for (int s = s0; s < s1; s += L) {
                if (s + L <= s1) {
                    forwardColumns(y, x, base, n, inner, s);
                } else {
                    forwardColumnsMasked(y, x, base, n, inner, s, S.indexInRange(s, s1));
                }
            }
        });
    }

    /** Softmax of L neighbouring rows (positions s … s+L−1) across the n values of the axis. */
    private static void forwardColumns(float[] y, float[] x, int base, int n, int inner, int s) {
        FloatVector max = FloatVector.fromArray(S, x, base + s);
        for (int c = 1; c < n; c++) {
            FloatVector v = FloatVector.fromArray(S, x, base + c * inner + s);
            max = max.blend(v, v.compare(VectorOperators.GT, max)); // as the scalar: NaN never replaces
        }
        FloatVector sum = FloatVector.zero(S);
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, at).sub(max));
            e.intoArray(y, at);
            sum = sum.add(e);
        }
        FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            FloatVector.fromArray(S, y, at).mul(inv).intoArray(y, at);
        }
    }

    private static void forwardColumnsMasked(float[] y, float[] x, int base, int n, int inner, int s, VectorMask<Float> m) {
        FloatVector max = FloatVector.fromArray(S, x, base + s, m);
        for (int c = 1; c < n; c++) {
            FloatVector v = FloatVector.fromArray(S, x, base + c * inner + s, m);
            max = max.blend(v, v.compare(VectorOperators.GT, max));
        }
        FloatVector sum = FloatVector.zero(S);
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, at, m).sub(max));
            e.intoArray(y, at, m);
            sum = sum.add(e);
        }
        FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            FloatVector.fromArray(S, y, at, m).mul(inv).intoArray(y, at, m);
        }
    }

    /** dx = y·(dy − Σ_c dy·y). */
    public static void backward(float[] dx, float[] dy, float[] y, int outer, int n, int inner) {
        int blocks = (inner + BLOCK - 1) / BLOCK;
        Parallel.forRange(outer * blocks, 5L * n * BLOCK, t -> {
            int o = t / blocks;
            int s0 = (t % blocks) * BLOCK;
            int s1 = Math.min(inner, s0 + BLOCK);
            int base = o * n * inner;
            for (int s = s0; s < s1; s += L) {
                VectorMask<Float> m = S.indexInRange(s, s1);
                if (s + L <= s1) {
                    backwardColumns(dx, dy, y, base, n, inner, s);
                    continue;
                }
                FloatVector dot = FloatVector.zero(S);
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner + s;
                    dot = FloatVector.fromArray(S, dy, at, m).mul(FloatVector.fromArray(S, y, at, m)).add(dot);
                }
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner + s;
                    FloatVector yy = FloatVector.fromArray(S, y, at, m);
                    yy.mul(FloatVector.fromArray(S, dy, at, m).sub(dot)).intoArray(dx, at, m);
                }
            }
        });
    }

    private static void backwardColumns(float[] dx, float[] dy, float[] y, int base, int n, int inner, int s) {
        FloatVector dot = FloatVector.zero(S);
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            dot = FloatVector.fromArray(S, dy, at).mul(FloatVector.fromArray(S, y, at)).add(dot);
        }
        for (int c = 0; c < n; c++) {
            int at = base + c * inner + s;
            FloatVector yy = FloatVector.fromArray(S, y, at);
            yy.mul(FloatVector.fromArray(S, dy, at).sub(dot)).intoArray(dx, at);
        }
    }
}
