package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The switch: -Dlayerlab.simd=false (Maven passes it on to the test JVM) forces the scalar
 * twins for the whole run; by default the fast paths are on when the Vector API module is there.
 */
class SimdSwitchTest {
    @Test
    void followsThePropertyAndTheModule() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("layerlab.simd", "true"));
        System.out.println("layerlab.simd=" + System.getProperty("layerlab.simd") + ", Vector API "
                + (Simd.available() ? "present" : "absent") + " → fast paths " + (Simd.enabled() ? "on" : "off"));
        assertEquals(wanted && Simd.available(), Simd.enabled());
    }

    @Test
    void offRunsTheScalarLoopAndOnNeedsTheModule() {
        boolean before = Simd.enabled();
        try {
            Simd.setEnabled(false);
            assertFalse(Simd.reluForward(new float[1], new float[1], 1));
            if (!Simd.available()) {
                assertThrows(IllegalStateException.class, () -> Simd.setEnabled(true));
            }
        } finally {
            if (Simd.available()) {
                Simd.setEnabled(before);
            }
        }
    }

    @Test
    void theFloat64TwinsAlwaysTakeTheScalarLoop() {
        assertFalse(Simd.reluForward(new double[1], new double[1], 1));
        assertFalse(Simd.gemmNN(new double[1], 0, new double[1], 0, new double[1], 0, 1, 1, 1));
    }
}
