package layerlab.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import layerlab.backend.ConvShape;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;

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

    /**
     * Every kernel family with the defines of the benchmark shapes (32×64×56×56, Linear
     * 256×4096→4096): what bench's JitBench times and OpenClRuntimeTest builds.
     */
    static Map<String, String> families(int wg, boolean fp64) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = 32, c = 64, h = 56, w = 56;
        int numel = n * c * h * w;
        m.put("activation", "-DN=" + numel);
        m.put("elementwise", "-DN=" + numel);
        m.put("dropout", "-DN=" + numel);
        m.put("pool", ClPool.defines(PoolWindows.of("JitBench", PoolMode.MAX, new int[] {n, c, h, w}, 2, 2, 0, false)));
        m.put("norm", ClLaunch.defs("NB", n, "C", c, "S", h * w, "WG", wg, "BATCH_STATISTICS", 1, "PARTS", 1));
        m.put("softmax", ClLaunch.defs("OUTER", 256, "LEN", 10, "INNER", 1, "WG", wg));
        m.put("linear", new ClLinear.Gemm(256, 4096, 4096, false, true, false, true, false, 1, 0, 0, 0).defines());
        m.put("optim", "-DN=" + numel + " -DREAL_IS_DOUBLE=" + (fp64 ? 1 : 0));
        m.put("conv", ClConv.defines(ConvShape.of(new int[] {n, c, h, w}, c, 3, 1, 1), wg));
        return m;
    }
}
