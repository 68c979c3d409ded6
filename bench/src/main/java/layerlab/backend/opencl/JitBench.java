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
 * <p>Run: {@code mvn -q -B -pl bench -am compile exec:java} (bench/pom.xml names this class). It
 * lives in the bench module under the backend's package name, for the package-private program
 * cache it times.
 * For truly cold numbers disable the drivers' disk caches: {@code POCL_KERNEL_CACHE=0} (PoCL),
 * {@code CUDA_CACHE_DISABLE=1} (NVIDIA).
 */
public final class JitBench {
    private JitBench() {}

    public static void main(String[] args) {
        OpenClBackend backend = new OpenClBackend();
        backend.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("OpenCL is unavailable: " + r);
        });
        ClRuntime rt = backend.rt();
        System.out.println("device: " + backend.devices().get(0));
        System.out.println("driver disk caches: POCL_KERNEL_CACHE=" + System.getenv("POCL_KERNEL_CACHE")
                + " CUDA_CACHE_DISABLE=" + System.getenv("CUDA_CACHE_DISABLE"));
        Map<String, String> programs = KernelSource.families(new ClLaunch(backend).wg(), rt.fp64);
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
