package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twins of {@code ActivationKernels}' elementwise loops: branch-free (comparisons become
 * lane masks and blends), vectorized exp/expm1/sigmoid/tanh from {@link VecMath}, the tail done
 * with a masked vector, the array split into chunks run in parallel. Same semantics as the
 * scalar loops, NaN included (ReLU and LeakyReLU send NaN to the x ≤ 0 branch, as the scalar
 * comparison x &gt; 0 does).
 */
public final class VecActivation {
    private VecActivation() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per parallel task (256 KiB of floats). */
    private static final int CHUNK = 1 << 16;

    /** One elementwise loop over [lo, hi). */
    private interface Range {
        void run(int lo, int hi);
    }

    private static void chunks(int n, int costPerElement, Range body) {
        int tasks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(tasks, (long) costPerElement * CHUNK, t -> body.run(t * CHUNK, Math.min(n, (t + 1) * CHUNK)));
    }

    public static void reluForward(float[] y, float[] x, int n) {
        chunks(n, 1, (lo, hi) -> {
            FloatVector zero = FloatVector.zero(S);
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i, m);
            }
        });
    }

    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) {
        chunks(n, 1, (lo, hi) -> {
            FloatVector zero = FloatVector.zero(S);
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                FloatVector g = FloatVector.fromArray(S, dy, i, m);
                zero.blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i, m);
            }
        });
    }

    public static void leakyReluForward(float[] y, float[] x, float alpha, int n) {
        chunks(n, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i, m);
            }
        });
    }

    public static void leakyReluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        chunks(n, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                FloatVector g = FloatVector.fromArray(S, dy, i, m);
                g.mul(alpha).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i, m);
            }
        });
    }

    public static void eluForward(float[] y, float[] x, float alpha, int n) {
        chunks(n, 10, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                VecMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i, m);
            }
        });
    }

    public static void eluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        chunks(n, 10, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                FloatVector g = FloatVector.fromArray(S, dy, i, m);
                g.mul(alpha).mul(VecMath.exp(v)).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i, m);
            }
        });
    }

    public static void sigmoidForward(float[] y, float[] x, int n) {
        chunks(n, 10, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                VecMath.sigmoid(FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
            }
        });
    }

    /** dx = dy·y·(1 − y). */
    public static void sigmoidBackward(float[] dx, float[] dy, float[] y, int n) {
        chunks(n, 2, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, y, i, m);
                FloatVector g = FloatVector.fromArray(S, dy, i, m);
                g.mul(v).mul(v.neg().add(1f)).intoArray(dx, i, m);
            }
        });
    }

    public static void tanhForward(float[] y, float[] x, int n) {
        chunks(n, 12, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                VecMath.tanh(FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
            }
        });
    }

    /** dx = dy·(1 − y²). */
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int n) {
        chunks(n, 2, (lo, hi) -> {
            for (int i = lo; i < hi; i += L) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, y, i, m);
                FloatVector g = FloatVector.fromArray(S, dy, i, m);
                g.mul(v.neg().fma(v, VecMath.c(1f))).intoArray(dx, i, m);
            }
        });
    }
}
