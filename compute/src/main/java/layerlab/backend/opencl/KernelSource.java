package layerlab.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenCL C source of a kernel family: {@code layerlab/backend/opencl/<family>.cl} on the
 * class path, after {@code common.cl} (the counter-based generator and small helpers).
 */
final class KernelSource {
    private static final String DIR = "/layerlab/backend/opencl/";
    private static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();

    private KernelSource() {}

    static String of(String family) {
        String override = OVERRIDES.get(family);
        if (override != null) {
            return override;
        }
        return resource("common.cl") + "\n" + resource(family + ".cl");
    }

    /** Test hook: replaces a family's source (a deliberately broken one, say); null restores it. */
    static void override(String family, String source) {
        if (source == null) {
            OVERRIDES.remove(family);
        } else {
            OVERRIDES.put(family, source);
        }
    }

    private static String resource(String name) {
        try (InputStream in = KernelSource.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("OpenCL kernel source " + DIR + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DIR + name, e);
        }
    }
}
