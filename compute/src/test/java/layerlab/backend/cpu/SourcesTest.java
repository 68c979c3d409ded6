package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sources shows the real reference loops: the shipped copy is the file in src/main/java, and
 * every public method of every *Kernels class comes out whole (Javadoc to closing brace) at the
 * line where it stands.
 */
class SourcesTest {
    private static final List<Class<?>> KERNELS = List.of(ActivationKernels.class, ConvKernels.class,
            DropoutKernels.class, FusedKernels.class, LinearKernels.class, NormKernels.class, OptimKernels.class,
            PoolKernels.class, SoftmaxKernels.class);

    private static List<String> sourceLines(Class<?> c) throws IOException {
        return Files.readAllLines(Path.of("src/main/java", c.getName().replace('.', '/') + ".java"));
    }

    @Test
    void theShippedFileIsTheSourceFile() throws IOException {
        for (Class<?> c : KERNELS) {
            String src = Files.readString(Path.of("src/main/java", c.getName().replace('.', '/') + ".java"));
            assertEquals(src, Sources.file(c), c.getSimpleName());
        }
    }

    @Test
    void everyPublicMethodComesOutWholeAtItsLine() throws IOException {
        int count = 0;
        for (Class<?> c : KERNELS) {
            List<String> lines = sourceLines(c);
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                Sources.Method s = Sources.method(c, m.getName());
                String[] got = s.text().split("\n");
                assertEquals(String.join("\n", lines.subList(s.firstLine() - 1, s.firstLine() - 1 + got.length)),
                        String.join("\n", got), c.getSimpleName() + "." + m.getName() + " is the file's text");
                assertTrue(got[0].trim().startsWith("/**") || got[0].contains(m.getName() + "("),
                        c.getSimpleName() + "." + m.getName() + " starts with its Javadoc or its declaration: " + got[0]);
                assertEquals("    }", got[got.length - 1], c.getSimpleName() + "." + m.getName() + " ends with its brace");
                assertTrue(s.text().contains(" " + m.getName() + "("), s.text());
                assertEquals(s.text(), s.toString());
                assertEquals("compute/src/main/java/layerlab/backend/cpu/" + c.getSimpleName() + ".java", s.file());
                count++;
            }
        }
        System.out.println("Sources: " + count + " public reference-loop methods, each whole at its line");
        assertTrue(count > 40, "found " + count);
    }

    @Test
    void thePoolingWindowsAreShippedToo() throws IOException {
        assertEquals(Files.readString(Path.of("src/main/java/layerlab/backend/PoolWindows.java")),
                Sources.file(layerlab.backend.PoolWindows.class));
        Sources.Method m = Sources.method(layerlab.backend.PoolWindows.class, "outputSize");
        assertTrue(m.text().contains("int out = Math.floorDiv(span + (ceilMode ? s - 1 : 0), s) + 1;"), m.text());
        assertEquals("compute/src/main/java/layerlab/backend/PoolWindows.java", m.file());
    }

    @Test
    void maxPoolBackwardIsTheLoopBelowItsJavadoc() {
        Sources.Method m = Sources.method(PoolKernels.class, "backward");
        assertTrue(m.text().startsWith("    /**\n     * dx = dL/dx given dy"), m.text());
        assertTrue(m.text().contains("dx[argmax[o]] += dy[o];"), m.text());
        assertEquals("backward", m.method());
    }

    @Test
    void anUnknownMethodOrClassIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sources.method(PoolKernels.class, "maxForward"));
        assertEquals("Sources.method: expected a method of PoolKernels (forward, backward), got \"maxForward\"",
                e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Sources.file(CpuBackend.class));
        assertTrue(f.getMessage().contains("layerlab.backend.cpu.CpuBackend"), f.getMessage());
    }
}
