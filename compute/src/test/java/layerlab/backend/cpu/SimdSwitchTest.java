package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void setsAndRestoresAndOnNeedsTheModule() {
        boolean before = Simd.enabled();
        try {
            Simd.setEnabled(false);
            assertEquals(false, Simd.enabled());
            if (Simd.available()) {
                Simd.setEnabled(true);
                assertEquals(true, Simd.enabled());
            } else {
                assertThrows(IllegalStateException.class, () -> Simd.setEnabled(true));
            }
        } finally {
            if (Simd.available()) {
                Simd.setEnabled(before);
            }
        }
    }
}
