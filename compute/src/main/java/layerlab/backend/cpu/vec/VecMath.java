package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector helpers shared by the fast paths: exp, expm1, sigmoid and tanh on whole vectors
 * (accuracy stated on each, checked by SimdMathTest against Math.exp / Math.tanh), sums and
 * axpy-like loops over array ranges.
 */
public final class VecMath {
    private VecMath() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /**
     * The lanes of v added in lane order. NOTE: not {@code reduceLanes(ADD)}, whose order is left
     * open: the JIT's intrinsic adds as a tree, the interpreter in order, so a result would change
     * when the code gets compiled — and a seeded training run would not repeat bit for bit.
     */
    public static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Σ a[off … off+n) in float lanes, the lanes added in double at the end. */
    public static double sum(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + L));
        }
        double s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** dst[d … d+n) += src[s … s+n). */
    public static void addInto(float[] dst, int d, float[] src, int s, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }

    /** dst[d … d+n) = src[s … s+n) + v (conv: the GEMM's result plus bias). */
    public static void copyAdd(float[] dst, int d, float[] src, int s, int n, float v) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, src, s + i).add(v).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = src[s + i] + v;
        }
    }

    /** A constant vector (C2 hoists it out of the loops). */
    static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f; // ln 2 split so that n·LN2_HI is exact
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float ROUND = 12582912f;      // 1.5·2²³: adding it rounds to an integer
    private static final float EXP_LO = -87.33654f;    // e^x ≥ the smallest normal float
    private static final float EXP_HI = 88f;           // 2^n stays finite (n ≤ 127)

    /**
     * e^x for x in [−87.3, 88]: max relative error 2 ulp (SimdMathTest). Below −87.34 the result
     * is 0 (no subnormals), above 88.72 it is +∞ (as in float), between 88 and 88.72 e^88; NaN
     * stays NaN.
     * Method: x = n·ln2 + r, |r| ≤ ln2/2, e^r by its Taylor polynomial to r⁷ (Horner with FMA),
     * times 2^n built in the exponent bits.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector e = expClamped(x.max(EXP_LO).min(EXP_HI));
        e = e.blend(0f, x.compare(VectorOperators.LT, EXP_LO));
        return e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.72284f)); // NaN: NaN all the way
    }

    /**
     * e^x − 1, accurate also near 0 (max relative error 2 ulp, SimdMathTest): with x = n·ln2 + r
     * as in {@link #exp}, e^x − 1 = 2^n·(e^r − 1) + (2^n − 1), and e^r − 1 = r·(1 + r/2 + r²/6 + …)
     * has no cancellation; for n = 0 that is all. One range reduction for both ELU branches.
     * −1 below x = −87.3, +∞ above 88.72; NaN stays NaN.
     */
    public static FloatVector expm1(FloatVector x) {
        FloatVector e = expm1Clamped(x.max(EXP_LO).min(EXP_HI));
        e = e.blend(-1f, x.compare(VectorOperators.LT, EXP_LO));
        return e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.72284f));
    }

    /**
     * {@link #exp} where it matters for ELU's backward, x ≤ 0: the same bits there, without the
     * check for overflow that those lanes never need. Lanes x &gt; 0 get e^0 = 1; NaN stays NaN.
     */
    public static FloatVector expNonPositive(FloatVector x) {
        return expClamped(x.max(EXP_LO).min(0f)).blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /**
     * {@link #expm1} where it matters for ELU, x ≤ 0: the same reduction and polynomial, bit for
     * bit, without the range checks that lanes x ≤ 0 never need (below −87.3 the result rounds
     * to −1 by itself). Lanes x &gt; 0 get expm1(0) = 0; NaN stays NaN.
     */
    public static FloatVector expm1NonPositive(FloatVector x) {
        return expm1Clamped(x.max(EXP_LO).min(0f));
    }

    /**
     * σ(x) = 1 / (1 + e^−x): max relative error 3 ulp where σ(x) ≥ 1e-37 (SimdMathTest). e^−x is
     * {@link #exp}'s reduction and polynomial on −x clamped to [−87.3, 88] with one range check
     * instead of two: above x = 87.3 the sum 1 + e^−x rounds to 1 by itself; below x = −88.72,
     * where e^−x overflows, σ is 0 as in the scalar loop. NaN stays NaN.
     */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector y = FloatVector.broadcast(S, 1f).div(expClamped(x.neg().max(EXP_LO).min(EXP_HI)).add(1f));
        return y.blend(0f, x.compare(VectorOperators.LT, -88.72284f)); // as the scalar loop: 0 where e^−x overflows
    }

    /** e^xc for xc already in [EXP_LO, EXP_HI]: the range reduction, e^r to r⁷, times 2^n. */
    private static FloatVector expClamped(FloatVector xc) {
        FloatVector t = xc.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        FloatVector r = n.fma(c(-LN2_HI), xc);
        r = n.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = p.fma(r, c(1f / 120));
        p = p.fma(r, c(1f / 24));
        p = p.fma(r, c(1f / 6));
        p = p.fma(r, c(0.5f));
        p = p.fma(r, c(1f));
        p = p.fma(r, c(1f));
        return p.mul(ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** e^xc − 1 for xc already in [EXP_LO, EXP_HI]: 2^n·(e^r − 1) + (2^n − 1), e^r − 1 to r⁸. */
    private static FloatVector expm1Clamped(FloatVector xc) {
        FloatVector t = xc.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        FloatVector r = n.fma(c(-LN2_HI), xc);
        r = n.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(c(1f / 40320), c(1f / 5040));
        p = p.fma(r, c(1f / 720));
        p = p.fma(r, c(1f / 120));
        p = p.fma(r, c(1f / 24));
        p = p.fma(r, c(1f / 6));
        p = p.fma(r, c(0.5f));
        p = p.fma(r, c(1f));
        FloatVector em1r = p.mul(r); // e^r − 1
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return em1r.fma(scale, scale.sub(1f));
    }

    // tanh(x)/x ≈ P(x²) on |x| < 0.625 (weighted least squares fit, ≤ 1.2 ulp in float32)
    private static final float T1 = -0.3333325982093811f;
    private static final float T2 = 0.13331091403961182f;
    private static final float T3 = -0.053718484938144684f;
    private static final float T4 = 0.020583488047122955f;
    private static final float T5 = -0.005652355030179024f;

    /**
     * tanh(x): max error 4 ulp (SimdMathTest). |x| &lt; 0.625: x·P(x²); else
     * sign(x)·(1 − 2/(e^{2|x|} + 1)), which is ±1 in float beyond |x| ≈ 9.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T5, T4);
        p = p.fma(z, c(T3));
        p = p.fma(z, c(T2));
        p = p.fma(z, c(T1));
        p = p.fma(z, c(1f));
        FloatVector small = p.mul(x);
        FloatVector a = x.abs();
        FloatVector e = exp(a.add(a).min(40f)).add(1f);
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e));
        big = big.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats(); // sign of x
        VectorMask<Float> isSmall = a.compare(VectorOperators.LT, 0.625f);
        return big.blend(small, isSmall).blend(x, x.test(VectorOperators.IS_NAN));
    }

    // erfc(z) ≈ t·e^(−z² + P(t)), t = 1/(1 + |z|/2), |z| as given: the Chebyshev fit in Numerical
    // Recipes (§6.2, "erfcc"), fractional error < 1.2e-7 for every z ≥ 0 — relative, also in the tail
    private static final float E0 = -1.26551223f, E1 = 1.00002368f, E2 = 0.37409196f, E3 = 0.09678418f,
            E4 = -0.18628806f, E5 = 0.27886807f, E6 = -1.13520398f, E7 = 1.48851587f, E8 = -0.82215223f,
            E9 = 0.17087277f;

    /**
     * Φ(x) = ½·erfc(−x/√2), the standard normal CDF (GELU's factor): erfc by the fit above, for
     * x &lt; 0 directly (so Φ keeps its relative accuracy far into the left tail), for x ≥ 0 as
     * 2 − erfc(|z|). GELU's error with it: see VecSmoothActivation (measured by
     * SimdGeluSiluAccuracyTest). Φ(−∞) = 0, Φ(+∞) = 1, NaN stays NaN.
     */
    public static FloatVector normalCdf(FloatVector x) {
        FloatVector z = x.mul(-0.70710678f); // erfc's argument −x/√2
        FloatVector a = z.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(0.5f, 1f));
        FloatVector p = t.fma(E9, E8); // Horner, written out: a loop would keep C2 from keeping p in registers
        p = p.fma(t, c(E7));
        p = p.fma(t, c(E6));
        p = p.fma(t, c(E5));
        p = p.fma(t, c(E4));
        p = p.fma(t, c(E3));
        p = p.fma(t, c(E2));
        p = p.fma(t, c(E1));
        p = p.fma(t, c(E0));
        FloatVector e = t.mul(exp(a.mul(a).neg().add(p))); // erfc(|z|)
        FloatVector erfc = e.blend(e.neg().add(2f), z.compare(VectorOperators.LT, 0f));
        return erfc.mul(0.5f);
    }
}
