package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.Pointwise;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twins of {@code ActivationKernels}' elementwise loops: branch-free (comparisons become
 * lane masks and blends), vectorized exp/expm1/sigmoid/tanh from {@link VecMath}, the tail done
 * with one masked vector, the array split into chunks run in parallel. Same semantics as the
 * scalar loops, NaN included: ReLU tests x ≤ 0 (NaN takes the other side: it stays NaN forward and
 * passes dy back), LeakyReLU and ELU test x &gt; 0 (NaN goes to the α side, which gives NaN), as
 * the scalar loops and libtorch do.
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

    /** y = 0 where x ≤ 0, else x (NaN stays NaN, as the scalar loop). */
    public static void reluForward(float[] y, float[] x, int n) {
        chunks(n, 1, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                reluForwardV(FloatVector.fromArray(S, x, i)).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                reluForwardV(FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
            }
        });
    }

    private static FloatVector reluForwardV(FloatVector v) {
        return v.blend(0f, v.compare(VectorOperators.LE, 0f));
    }

    /** dx = 0 where x ≤ 0, else dy (at NaN: dy). */
    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) {
        chunks(n, 1, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                reluBackwardV(FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                reluBackwardV(FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, dy, i, m)).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector reluBackwardV(FloatVector v, FloatVector g) {
        return g.blend(0f, v.compare(VectorOperators.LE, 0f));
    }

    /** y = x where x > 0, else α·x. */
    public static void leakyReluForward(float[] y, float[] x, float alpha, int n) {
        chunks(n, 1, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                leakyReluForwardV(FloatVector.fromArray(S, x, i), alpha).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                leakyReluForwardV(FloatVector.fromArray(S, x, i, m), alpha).intoArray(y, i, m);
            }
        });
    }

    private static FloatVector leakyReluForwardV(FloatVector v, float alpha) {
        return v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f));
    }

    /** dx = dy where x > 0, else α·dy. */
    public static void leakyReluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        chunks(n, 1, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                leakyReluBackwardV(FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, dy, i), alpha).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                leakyReluBackwardV(FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, dy, i, m), alpha).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector leakyReluBackwardV(FloatVector v, FloatVector g, float alpha) {
        return g.mul(alpha).blend(g, v.compare(VectorOperators.GT, 0f));
    }

    /** y = x where x > 0, else α·(e^x − 1) (NaN gives NaN). */
    public static void eluForward(float[] y, float[] x, float alpha, int n) {
        chunks(n, 10, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                eluForwardV(FloatVector.fromArray(S, x, i), alpha).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                eluForwardV(FloatVector.fromArray(S, x, i, m), alpha).intoArray(y, i, m);
            }
        });
    }

    private static FloatVector eluForwardV(FloatVector v, float alpha) {
        return VecMath.expm1NonPositive(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f));
    }

    /** dx = dy where x > 0, else dy·α·e^x (NaN at x = NaN). */
    public static void eluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        chunks(n, 10, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                eluBackwardV(FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, dy, i), alpha).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                eluBackwardV(FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, dy, i, m), alpha).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector eluBackwardV(FloatVector v, FloatVector g, float alpha) {
        return g.mul(alpha).mul(VecMath.expNonPositive(v)).blend(g, v.compare(VectorOperators.GT, 0f));
    }

    /** y = σ(x). */
    public static void sigmoidForward(float[] y, float[] x, int n) {
        chunks(n, 10, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                sigmoidForwardV(FloatVector.fromArray(S, x, i)).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                sigmoidForwardV(FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
            }
        });
    }

    private static FloatVector sigmoidForwardV(FloatVector v) {
        return VecMath.sigmoid(v);
    }

    /** dx = dy·y·(1 − y). */
    public static void sigmoidBackward(float[] dx, float[] dy, float[] y, int n) {
        chunks(n, 2, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                sigmoidBackwardV(FloatVector.fromArray(S, y, i), FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                sigmoidBackwardV(FloatVector.fromArray(S, y, i, m), FloatVector.fromArray(S, dy, i, m)).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector sigmoidBackwardV(FloatVector v, FloatVector g) {
        return g.mul(v).mul(v.neg().add(1f));
    }

    /** y = tanh(x). */
    public static void tanhForward(float[] y, float[] x, int n) {
        chunks(n, 12, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                tanhForwardV(FloatVector.fromArray(S, x, i)).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                tanhForwardV(FloatVector.fromArray(S, x, i, m)).intoArray(y, i, m);
            }
        });
    }

    private static FloatVector tanhForwardV(FloatVector v) {
        return VecMath.tanh(v);
    }

    /** dx = dy·(1 − y²). */
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int n) {
        chunks(n, 2, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - L; i += L) {
                tanhBackwardV(FloatVector.fromArray(S, y, i), FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                tanhBackwardV(FloatVector.fromArray(S, y, i, m), FloatVector.fromArray(S, dy, i, m)).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector tanhBackwardV(FloatVector v, FloatVector g) {
        return g.mul(v.neg().fma(v, VecMath.c(1f)));
    }

    // ---- which Pointwise functions have a fast path here, and which loop each runs ----

    /** Whether this class has vector loops for {@code f} (GELU and SiLU: in {@link VecSmoothActivation}). */
    public static boolean accepts(Pointwise f) {
        return switch (f) {
            case RELU, SIGMOID, TANH, LEAKY_RELU, ELU, GELU, SILU -> true;
            default -> false;
        };
    }

    /** y = f(x) for a function {@link #accepts} takes. */
    public static void forward(Pointwise f, float[] y, float[] x, float alpha, int n) {
        switch (f) {
            case RELU -> reluForward(y, x, n);
            case SIGMOID -> sigmoidForward(y, x, n);
            case TANH -> tanhForward(y, x, n);
            case LEAKY_RELU -> leakyReluForward(y, x, alpha, n);
            case ELU -> eluForward(y, x, alpha, n);
            case GELU -> VecSmoothActivation.geluForward(y, x, n);
            case SILU -> VecSmoothActivation.siluForward(y, x, n);
            default -> throw new IllegalArgumentException("VecActivation: expected a function it accepts, got " + f);
        }
    }

    /** dx = dy·f′ from what forward kept, for a function {@link #accepts} takes. */
    public static void backward(Pointwise f, float[] dx, float[] dy, float[] kept, float alpha, int n) {
        switch (f) {
            case RELU -> reluBackward(dx, dy, kept, n);
            case SIGMOID -> sigmoidBackward(dx, dy, kept, n);
            case TANH -> tanhBackward(dx, dy, kept, n);
            case LEAKY_RELU -> leakyReluBackward(dx, dy, kept, alpha, n);
            case ELU -> eluBackward(dx, dy, kept, alpha, n);
            case GELU -> VecSmoothActivation.geluBackward(dx, dy, kept, n);
            case SILU -> VecSmoothActivation.siluBackward(dx, dy, kept, n);
            default -> throw new IllegalArgumentException("VecActivation: expected a function it accepts, got " + f);
        }
    }
}
