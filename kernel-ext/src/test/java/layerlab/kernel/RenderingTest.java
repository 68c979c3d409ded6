package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

/** A cell's value as text: arrays read as their elements, as JShell writes them. */
class RenderingTest {
    private static String text(Object value) {
        return (String) Rendering.render(Rendering.standalone(), value).getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void aShapeReadsAsItsNumbers() {
        assertEquals("int[2] { 2, 3 }", text(new int[] {2, 3}));
        assertEquals("int[0] {}", text(new int[0]));
        assertEquals("double[1] { 0.5 }", text(new double[] {0.5}));
    }

    @Test
    void nestedAndObjectArrays() {
        assertEquals("int[2][] { int[1] { 1 }, int[2] { 2, 3 } }", text(new int[][] {{1}, {2, 3}}));
        assertEquals("String[2] { \"a\", null }", text(new String[] {"a", null}));
    }

    @Test
    void aLongArrayIsCutAndCounted() {
        String t = text(new float[250]);
        assertTrue(t.startsWith("float[250] { 0.0, 0.0"), t);
        assertTrue(t.endsWith(", … (150 more) }"), t);
    }
}
