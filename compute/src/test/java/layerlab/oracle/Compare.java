package layerlab.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.tensor.Tensor;

/** Compares a layerlab result with an oracle's and prints the worst difference (llm.c's check_tensor). */
public final class Compare {
    private Compare() {}

    /**
     * Asserts same shape and max|a−b| / max(1e-8, max|a|+|b|) ≤ bound; prints the worst element
     * either way, so a passing test still shows how close it was.
     */
    public static double assertClose(String what, Tensor expected, Tensor actual, double bound) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        double worst = 0;
        double scale = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (!(d <= worst) || at < 0) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
                at = i;
            }
            scale = Math.max(scale, Math.abs((double) e[i]) + Math.abs((double) a[i]));
        }
        double rel = worst / Math.max(1e-8, scale);
        System.out.printf("%-50s rel %.3e (max abs %.3e at %d; bound %.0e)%n", what, rel, worst, at, bound);
        int worstAt = at;
        assertTrue(rel <= bound, () -> what + ": relative error " + rel + " > " + bound
                + " (worst at flat index " + worstAt + ": expected " + e[worstAt] + ", got " + a[worstAt] + ")");
        return rel;
    }
}
