package layerlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times two implementations of one operation side by side, in alternating blocks: a pause, one
 * untimed call, then {@link Plan#block} timed calls back to back — first A, then B, then A …
 * Within a block the threads of the side being timed are warm, as in a training loop where one
 * layer's call follows another's; the pause before each block lets the other side's idle
 * threads stop spinning (libtorch's OpenMP workers spin for milliseconds after each parallel
 * region: GNU libgomp's default, GOMP_SPINCOUNT 300000; layerlab's helpers spin 0.2 ms). Noise
 * from other processes falls on both alike; the result is each side's median.
 *
 * <p>A {@link Case} separates what is timed ({@code body}) from what is not: {@code prepare}
 * runs before each timed call (for example: fresh leaves for autograd, so libtorch does not
 * accumulate into an old gradient), {@code cleanup} after it (freeing the outputs).
 */
final class Measure {
    private Measure() {}

    /** Something to time. */
    interface Body {
        void run() throws Exception;
    }

    record Case(Body prepare, Body body, Body cleanup) {
        static Case of(Body body) {
            return new Case(() -> { }, body, () -> { });
        }
    }

    /** How long to warm up, how many timed calls to make, and how many per block. */
    record Plan(long warmupNanos, int minWarmup, int minReps, int maxReps, long budgetNanos, int block) {
        static Plan standard() {
            return new Plan(1_500_000_000L, 5, 8, 40, 5_000_000_000L, 4);
        }

        /**
         * 1 s of warm-up: with 0.3 s, on a machine loaded by other jobs, the JIT had not yet
         * compiled the first op of a new shape, and its forward row timed interpreted code (the
         * sweep's 512×1000 softmax: 39.6 ms, against 1.34 ms after the standard warm-up).
         */
        static Plan quick() {
            return new Plan(1_000_000_000L, 2, 4, 12, 1_500_000_000L, 4);
        }
    }

    /** The pause before each block (ms). */
    static final int PAUSE_MS = 20;

    /** Medians in milliseconds: [median A, median B]. */
    static double[] sideBySide(Case a, Case b, Plan plan) throws Exception {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < plan.minWarmup() || System.nanoTime() - start < plan.warmupNanos()) {
            time(a);
            time(b);
            warm++;
            if (warm > 200) {
                break;
            }
        }
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        long t0 = System.nanoTime();
        while (ta.size() < plan.minReps()
                || (ta.size() < plan.maxReps() && System.nanoTime() - t0 < plan.budgetNanos())) {
            block(a, plan.block(), ta);
            block(b, plan.block(), tb);
        }
        return new double[] {median(ta), median(tb)};
    }

    /** A pause, one untimed call, then n timed calls back to back. */
    static void block(Case c, int n, List<Double> into) throws Exception {
        Thread.sleep(PAUSE_MS);
        time(c);
        for (int i = 0; i < n; i++) {
            into.add(time(c));
        }
    }

    /** One call in milliseconds: prepare and cleanup run outside the timed part. */
    static double time(Case c) throws Exception {
        c.prepare().run();
        long t = System.nanoTime();
        c.body().run();
        long dt = System.nanoTime() - t;
        c.cleanup().run();
        return dt / 1e6;
    }

    static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
