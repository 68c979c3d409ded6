package layerlab.kernel.magic;

import java.util.Arrays;
import java.util.Locale;

/**
 * The measuring loop behind {@code %timeit} and {@code %%timeit}, in IPython's manner: choose a
 * loop count so one run takes at least 0.2 s (unless {@code -n} is given), warm up, then time
 * {@code r} runs of {@code n} loops and report the median time per loop and its spread.
 *
 * <p>The kernel compiles the timed code into a {@link Body} lambda in a cell, so the loop runs on
 * the cell's thread and the interrupt button stops it like any cell.
 */
public final class Timeit {
    /** The timed code. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** What one {@code %timeit} measured; times in seconds per loop. */
    public record Result(int loops, int runs, double median, double stdDev, double best, double worst) {
        @Override
        public String toString() {
            return format(median) + " ± " + format(stdDev) + " per loop (median ± std. dev. of "
                    + runs + " run" + (runs == 1 ? "" : "s") + ", " + loops + " loop" + (loops == 1 ? "" : "s") + " each)";
        }
    }

    static final double TARGET_SECONDS = 0.2;
    private static volatile Object sink;

    private Timeit() {}

    /** Keeps an expression's value alive so the JIT cannot drop its computation. */
    public static void sink(Object value) {
        sink = value;
    }

    /** Measures {@code body}: {@code loops <= 0} chooses the loop count. Prints and returns the result. */
    public static Result run(int loops, int runs, Body body) throws Throwable {
        if (runs < 1) {
            throw new IllegalArgumentException("%timeit: expected -r >= 1, got " + runs);
        }
        int n = loops;
        if (n <= 0) {
            // calibration doubles as warm-up: 1, 2, 5, 10, 20, 50, ... loops until a run takes 0.2 s
            n = 1;
            for (int k = 0; ; k++) {
                double t = time(body, n);
                if (t >= TARGET_SECONDS || n >= 1_000_000_000 / 10) {
                    break;
                }
                n = (k % 3 == 0) ? n * 2 : (k % 3 == 1) ? n * 5 / 2 : n * 2;
            }
        } else {
            time(body, n); // warm-up: one run, not counted
        }
        double[] perLoop = new double[runs];
        for (int r = 0; r < runs; r++) {
            perLoop[r] = time(body, n) / n;
        }
        double[] sorted = perLoop.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        double mean = Arrays.stream(perLoop).average().orElse(0);
        double var = 0;
        for (double v : perLoop) {
            var += (v - mean) * (v - mean);
        }
        double std = runs > 1 ? Math.sqrt(var / (runs - 1)) : 0;
        Result result = new Result(n, runs, median, std, sorted[0], sorted[runs - 1]);
        System.out.println(result);
        return result;
    }

    private static double time(Body body, int n) throws Throwable {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            body.run();
        }
        return (System.nanoTime() - t0) * 1e-9;
    }

    /** Seconds with a sensible unit: "1.23 s", "45.6 ms", "789 µs", "12.3 ns". */
    public static String format(double seconds) {
        double abs = Math.abs(seconds);
        if (abs == 0) {
            return "0 ns";
        }
        String[] units = {"s", "ms", "µs", "ns"};
        double[] scale = {1, 1e3, 1e6, 1e9};
        int u = 0;
        while (u < 3 && abs * scale[u] < 1 && abs > 0) {
            u++;
        }
        double v = seconds * scale[u];
        String digits = Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", v, units[u]);
    }
}
