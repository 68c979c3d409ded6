package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shared by the parity tests: the check (prints the worst difference, fails above the bound),
 * and, as a JUnit extension ({@code @ExtendWith(SimdParity.class)}), the Vector API required
 * before each test and the run's setting restored after it.
 */
final class SimdParity implements BeforeEachCallback, AfterEachCallback {
    SimdParity() {}

    @Override
    public void beforeEach(ExtensionContext context) {
        assertTrue(Simd.available(), "jdk.incubator.vector not present: the tests run with --add-modules jdk.incubator.vector (parent pom)");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        restore();
    }

    /** Back to the run's setting (-Dlayerlab.simd=false keeps the scalar twins on for the other tests). */
    static void restore() {
        Simd.setEnabled(Simd.available() && !"false".equalsIgnoreCase(System.getProperty("layerlab.simd", "true")));
    }

    /** max |a − b| / max(1, max |a|) ≤ bound; NaN must match NaN. */
    static void assertClose(String what, float[] expected, float[] actual, double bound) {
        double scale = 1;
        for (float v : expected) {
            if (Float.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) || Float.isNaN(actual[i])) {
                assertTrue(Float.isNaN(expected[i]) && Float.isNaN(actual[i]), what + ": NaN mismatch at " + i);
                continue;
            }
            double d = expected[i] == actual[i] ? 0 : Math.abs(expected[i] - actual[i]) / scale;
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        System.out.printf("%s: worst |fast − scalar| / max(1, max|scalar|) = %.2e%s%n", what, worst,
                at >= 0 ? " at " + at + " (scalar " + expected[at] + ", fast " + actual[at] + ")" : "");
        assertTrue(worst <= bound, what + ": worst difference " + worst + " > " + bound);
    }
}
