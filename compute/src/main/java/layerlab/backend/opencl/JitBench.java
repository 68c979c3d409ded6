package layerlab.backend.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JIT cost per kernel family: the driver's compile time of each .cl program on first use
 * (cold), again after the context was released (a fresh context: only the driver's own disk
 * cache can help), and a lookup in this backend's program cache (what every later launch pays; mean of 10,000).
 * Specialized on the shapes of the benchmark network (32×64×56×56, Linear 256×4096→4096).
 *
 * <p>Run: {@code mvn -q -B -pl compute compile exec:java -Dexec.mainClass=layerlab.backend.opencl.JitBench}.
 * For truly cold numbers disable the drivers' disk caches: {@code POCL_KERNEL_CACHE=0} (PoCL),
 * {@code CUDA_CACHE_DISABLE=1} (NVIDIA).
 */
public final class JitBench {
    private JitBench() {}

    /** One program per kernel family, with the defines the benchmark shapes give it. */
    static Map<String, String> programs(int wg, boolean fp64) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        int n = 32, c = 64, h = 56, w = 56;
        int numel = n * c * h * w;
        m.put("activation", "-DN=" + numel);
        m.put("elementwise", "-DN=" + numel);
        m.put("dropout", "-DN=" + numel);
        m.put("pool", ClLaunch.defs("PLANES", n * c, "IT", 1, "IH", h, "IW", w, "OT", 1, "OH", h / 2, "OW", w / 2,
                "KT", 1, "KH", 2, "KW", 2, "ST", 1, "SH", 2, "SW", 2, "PT", 0, "PH", 0, "PW", 0, "MAX", 1,
                "COUNT_INCLUDE_PAD", 1));
        m.put("norm", ClLaunch.defs("NB", n, "C", c, "S", h * w, "WG", wg, "BATCH_STATISTICS", 1, "PARTS", 1));
        m.put("softmax", ClLaunch.defs("OUTER", 256, "LEN", 10, "INNER", 1, "WG", wg));
        m.put("gemm", new ClLinear.Gemm(256, 4096, 4096, false, true, false, true, false, 1, 0, 0, 0).defines());
        m.put("optim", "-DN=" + numel + " -DREAL_IS_DOUBLE=" + (fp64 ? 1 : 0));
        m.put("conv", ClLaunch.defs("NB", n, "C", c, "H", h, "W", w, "O", c, "KS", 3, "STRIDE", 1, "PAD", 1,
                "OH", h, "OW", w, "WG", wg));
        return m;
    }

    public static void main(String[] args) {
        OpenClBackend backend = new OpenClBackend();
        backend.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("OpenCL is unavailable: " + r);
        });
        ClRuntime rt = backend.rt();
        System.out.println("device: " + backend.devices().get(0));
        System.out.println("driver disk caches: POCL_KERNEL_CACHE=" + System.getenv("POCL_KERNEL_CACHE")
                + " CUDA_CACHE_DISABLE=" + System.getenv("CUDA_CACHE_DISABLE"));
        Map<String, String> programs = programs(new ClLaunch(backend).wg(), rt.fp64);
        // the first build also starts the driver's compiler: measured apart on a one-line program
        System.out.printf(Locale.ROOT, "compiler start-up (first build, elementwise -DN=1): %.1f ms%n",
                time(() -> rt.program("elementwise", "-DN=1")));
        List<double[]> rows = new ArrayList<>();
        for (Map.Entry<String, String> p : programs.entrySet()) {
            double cold = time(() -> rt.program(p.getKey(), p.getValue()));
            double hit = time(() -> {
                for (int k = 0; k < 10_000; k++) {
                    rt.program(p.getKey(), p.getValue());
                }
            }) / 10_000;
            rows.add(new double[] {cold, hit});
        }
        backend.release();
        ClRuntime fresh = backend.rt();
        int i = 0;
        System.out.printf(Locale.ROOT, "%-12s %12s %16s %14s%n", "family", "cold ms", "new context ms", "cached µs");
        for (Map.Entry<String, String> p : programs.entrySet()) {
            double again = time(() -> fresh.program(p.getKey(), p.getValue()));
            double[] r = rows.get(i++);
            System.out.printf(Locale.ROOT, "%-12s %12.1f %16.1f %14.2f%n", p.getKey(), r[0], again, r[1] * 1000);
        }
        backend.release();
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
