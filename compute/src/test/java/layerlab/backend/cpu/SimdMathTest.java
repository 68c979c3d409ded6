package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import layerlab.backend.cpu.vec.VecMath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stated accuracy of the vectorized exp, expm1, sigmoid and tanh, measured in ulps of the
 * float32 result against Math (double, rounded once) on a dense grid of every range they serve.
 */
@ExtendWith(SimdParity.class)
class SimdMathTest {
    @Test
    void expWithin2Ulp() {
        assertUlp("exp", VecMath::exp, Math::exp, -87f, 88f, 2);
    }

    @Test
    void expm1Within2UlpOfItsValueOr2UlpOfExp() {
        assertUlp("expm1 |x| < 0.5", VecMath::expm1, Math::expm1, -0.5f, 0.5f, 2);
        assertUlp("expm1", VecMath::expm1, Math::expm1, -87f, 88f, 3);
    }

    @Test
    void theNonPositiveFormsAreExpAndExpm1BitForBitWhereXIsAtMostZero() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int n = 1 << 16;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -120f * i / n; // [−120, 0]: also below where e^x underflows
        }
        x[5] = Float.NaN;
        x[7] = -0f;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i += lanes) {
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i);
            VecMath.expm1(v).intoArray(a, i);
            VecMath.expm1NonPositive(v).intoArray(b, i);
        }
        assertSameBits("expm1", x, a, b);
        for (int i = 0; i < n; i += lanes) {
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i);
            VecMath.exp(v).intoArray(a, i);
            VecMath.expNonPositive(v).intoArray(b, i);
        }
        assertSameBits("exp", x, a, b);
    }

    private static void assertSameBits(String what, float[] x, float[] a, float[] b) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            assertTrue(Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i]) || (Float.isNaN(a[i]) && Float.isNaN(b[i])),
                    "x = " + x[i] + ": " + what + " " + a[i] + ", " + what + "NonPositive " + b[i]);
        }
    }

    @Test
    void sumLanesAddsInLaneOrderSoCompiledAndInterpretedCodeAgree() {
        // reduceLanes(ADD) leaves the order open (a tree when compiled, in order when not): a
        // seeded training run then changed in its last bits once the JIT compiled the kernels
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] v = new float[lanes];
        for (int trial = 0; trial < 1000; trial++) {
            float expected = 0f;
            for (int i = 0; i < lanes; i++) {
                v[i] = (float) (Math.sin(trial * 31.7 + i * 1.3) * Math.pow(10, (i + trial) % 7 - 3));
                expected += v[i];
            }
            float got = VecMath.sumLanes(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0));
            assertTrue(Float.floatToIntBits(expected) == Float.floatToIntBits(got), "trial " + trial + ": " + expected + " vs " + got);
        }
    }

    @Test
    void sigmoidWithin3Ulp() {
        assertUlp("sigmoid", VecMath::sigmoid, v -> 1 / (1 + Math.exp(-v)), -85f, 40f, 3);
    }

    @Test
    void tanhWithin4Ulp() {
        assertUlp("tanh", VecMath::tanh, Math::tanh, -12f, 12f, 4);
        assertUlp("tanh near 0", VecMath::tanh, Math::tanh, -1e-3f, 1e-3f, 2);
    }

    @Test
    void nanStaysNan() {
        float[] in = new float[FloatVector.SPECIES_PREFERRED.length()];
        java.util.Arrays.fill(in, Float.NaN);
        for (UnaryOperator<FloatVector> f : java.util.List.<UnaryOperator<FloatVector>>of(VecMath::exp, VecMath::expm1, VecMath::sigmoid, VecMath::tanh)) {
            float[] out = new float[in.length];
            f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, 0)).intoArray(out, 0);
            assertTrue(Float.isNaN(out[0]), "NaN in, got " + out[0]);
        }
    }

    private static void assertUlp(String what, UnaryOperator<FloatVector> f, DoubleUnaryOperator exact,
                                  float lo, float hi, double bound) {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int n = 1 << 20;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * i / (n - 1);
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i += lanes) {
            f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        double worst = 0;
        float at = 0;
        for (int i = 0; i < n; i++) {
            float ref = (float) exact.applyAsDouble(x[i]);
            double ulps = Math.abs(y[i] - exact.applyAsDouble(x[i])) / Math.ulp(ref);
            if (ulps > worst) {
                worst = ulps;
                at = x[i];
            }
        }
        System.out.printf("%s on [%g, %g]: worst %.2f ulp at x = %g%n", what, lo, hi, worst, at);
        assertTrue(worst <= bound, what + ": " + worst + " ulp at x = " + at + " > " + bound);
    }
}
