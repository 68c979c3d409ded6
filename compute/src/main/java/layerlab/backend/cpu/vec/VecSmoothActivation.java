package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twins of {@code ActivationKernels}' GELU (the exact erf form, libtorch's default) and
 * SiLU, reached through {@link VecActivation}. SiLU: x·σ(x) with {@link VecMath#sigmoid} (3 ulp).
 * GELU: x·Φ(x) with {@link VecMath#normalCdf} (erfc by a Chebyshev fit, fractional error
 * &lt; 1.2e-7, then one exp). Accuracy, measured by SimdGeluSiluAccuracyTest over x in [−10, 10]
 * (1e6 + 1 points) against the float64 reference loops, as max |error| / max(1, |exact|):
 * GELU forward 1.3e-7, backward 2.1e-7; SiLU forward 1.4e-7, backward 7.6e-7 (the test's bound:
 * 1e-6). Relative to the value where |exact| ≥ 1e-3: forward 1.5e-6 (GELU), 1.7e-7 (SiLU); the
 * backward loses relative digits only next to the derivative's zero (x ≈ −0.75 for GELU, −1.28
 * for SiLU: 6e-5, 2e-5), where Φ + x·φ and σ·(1 + x·(1 − σ)) cancel in any float evaluation.
 * Against libtorch (nn.ActivationParityTest): within 1e-6 of the scale.
 */
final class VecSmoothActivation {
    private VecSmoothActivation() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 16;
    private static final float INV_SQRT_2PI = 0.39894228f;

    /** y = x·Φ(x). */
    static void geluForward(float[] y, float[] x, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 30L * CHUNK, t -> {
            int hi = Math.min(n, (t + 1) * CHUNK);
            int i = t * CHUNK;
            for (; i <= hi - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.mul(VecMath.normalCdf(v)).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                v.mul(VecMath.normalCdf(v)).intoArray(y, i, m);
            }
        });
    }

    /**
     * dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π). Per chunk in two passes, Φ into a scratch
     * chunk and then the rest: one loop holding both exps outgrows C2's inlining budget, and its vectors get
     * boxed (10× slower, seen on JDK 17); x is still in L2 for the second pass.
     */
    static void geluBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 40L * CHUNK, t -> {
            int lo = t * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            float[] cdf = CDF.get(); // not dx: dx may be dy or x (an in-place backward)
            cdfPass(cdf, x, lo, hi);
            geluBackwardPass(dx, dy, x, cdf, lo, hi);
        });
    }

    /** Φ(x) of one chunk, per thread. */
    private static final ThreadLocal<float[]> CDF = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /** cdf[i − lo] = Φ(x[i]) over [lo, hi): a method of its own, compiled apart from the second pass. */
    private static void cdfPass(float[] cdf, float[] x, int lo, int hi) {
        int i = lo;
        for (; i <= hi - L; i += L) {
            VecMath.normalCdf(FloatVector.fromArray(S, x, i)).intoArray(cdf, i - lo);
        }
        if (i < hi) {
            VectorMask<Float> m = S.indexInRange(i, hi);
            VecMath.normalCdf(FloatVector.fromArray(S, x, i, m)).intoArray(cdf, i - lo, m);
        }
    }

    /** dx = dy·(Φ + x·φ(x)) over [lo, hi), Φ from cdf. */
    private static void geluBackwardPass(float[] dx, float[] dy, float[] x, float[] cdf, int lo, int hi) {
        int i = lo;
        for (; i <= hi - L; i += L) {
            geluBackwardV(FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, dy, i),
                    FloatVector.fromArray(S, cdf, i - lo)).intoArray(dx, i);
        }
        if (i < hi) {
            VectorMask<Float> m = S.indexInRange(i, hi);
            geluBackwardV(FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, dy, i, m),
                    FloatVector.fromArray(S, cdf, i - lo, m)).intoArray(dx, i, m);
        }
    }

    /** dy·(Φ + x·φ(x)), Φ already computed. */
    private static FloatVector geluBackwardV(FloatVector v, FloatVector g, FloatVector cdf) {
        FloatVector pdf = VecMath.exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI);
        return g.mul(v.fma(pdf, cdf));
    }

    /** y = x·σ(x). */
    static void siluForward(float[] y, float[] x, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 12L * CHUNK, t -> {
            int hi = Math.min(n, (t + 1) * CHUNK);
            int i = t * CHUNK;
            for (; i <= hi - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.mul(VecMath.sigmoid(v)).intoArray(y, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                v.mul(VecMath.sigmoid(v)).intoArray(y, i, m);
            }
        });
    }

    /** dx = dy·σ(x)·(1 + x·(1 − σ(x))). */
    static void siluBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 14L * CHUNK, t -> {
            int hi = Math.min(n, (t + 1) * CHUNK);
            int i = t * CHUNK;
            for (; i <= hi - L; i += L) {
                siluBackwardV(FloatVector.fromArray(S, x, i), FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
            }
            if (i < hi) {
                VectorMask<Float> m = S.indexInRange(i, hi);
                siluBackwardV(FloatVector.fromArray(S, x, i, m), FloatVector.fromArray(S, dy, i, m)).intoArray(dx, i, m);
            }
        });
    }

    private static FloatVector siluBackwardV(FloatVector v, FloatVector g) {
        FloatVector s = VecMath.sigmoid(v);
        return g.mul(s).mul(v.mul(s.neg().add(1f)).add(1f));
    }
}
