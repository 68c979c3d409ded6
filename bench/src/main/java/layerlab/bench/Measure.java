package layerlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times two implementations of one operation side by side: warm-up first, then the two are
 * called in alternation (A, B, A, B …) so that noise from other processes falls on both alike;
 * the result is each side's median.
 *
 * <p>A {@link Case} separates what is timed ({@code body}) from what is not: {@code prepare}
 * runs before each timed call (for example: fresh leaves for autograd, so libtorch does not
 * accumulate into an old gradient), {@code cleanup} after it (freeing libtorch's outputs).
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

    /** How long to warm up and how many timed calls to make. */
    record Plan(long warmupNanos, int minWarmup, int minReps, int maxReps, long budgetNanos) {
        static Plan standard() {
            return new Plan(1_500_000_000L, 5, 7, 31, 5_000_000_000L);
        }

        static Plan quick() {
            return new Plan(300_000_000L, 2, 3, 11, 1_500_000_000L);
        }
    }

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
            ta.add(time(a));
            tb.add(time(b));
        }
        return new double[] {median(ta), median(tb)};
    }

    /**
     * One timed call in milliseconds. NOTE: it starts after a 10 ms pause: libtorch's OpenMP
     * workers spin for milliseconds after each parallel region (GNU libgomp's default wait
     * policy, GOMP_SPINCOUNT 300000) and would otherwise take a core from whatever runs next —
     * the other side, here.
     */
    static double time(Case c) throws Exception {
        Thread.sleep(10);
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
