package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kernel's pieces that need no Jupyter (see also magic/ and exec/). */
class PartsTest {
    @Test
    void indentGrowsWithOpenBrackets() {
        assertEquals("    ", CodeAssist.indentFor("for (int i = 0; i < 3; i++) {"));
        assertEquals("        ", CodeAssist.indentFor("void f() {\n  if (x) {"));
    }
}
