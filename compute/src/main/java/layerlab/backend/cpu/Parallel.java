package layerlab.backend.cpu;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs independent loop iterations (usually over batch × channel) on the calling thread and
 * threads − 1 helper threads.
 *
 * <p>The thread count is set with {@link #setThreads} (benchmarks compare at 1 and 2 threads);
 * it defaults to the number of cores. Small loops run inline: forking costs more than it saves.
 * A helper that finishes waits for the next loop spinning for {@link #SPIN_NANOS} before it
 * parks, as OpenMP runtimes do: a network's layers call one parallel loop after another, and
 * waking a parked thread costs tens of microseconds on a virtual machine.
 *
 * <p>Every loop is interruptible: an interrupt of the calling thread (the notebook's stop
 * button) ends it between iterations with a {@link CancellationException}, on every worker;
 * when forRange returns or throws, no iteration of it runs any more, and the helpers are back
 * to waiting (spinning at most {@link #SPIN_NANOS}, then parked).
 *
 * <p>The helpers live in a thread group of their own ({@value #GROUP_NAME}), not in the group of
 * the thread that first used the pool: a notebook kernel interrupts or stops the threads of a
 * cell by group, and the pool belongs to no cell. An interrupt that reaches a helper anyway is
 * cleared before it parks (with the flag set, {@code park} would return at once and the helper
 * would spin for good); a {@code ThreadDeath} or any other throwable in a loop is the loop's
 * failure, never the helper's end.
 */
public final class Parallel {
    /** How long an idle helper spins for the next loop before it parks. */
    static final long SPIN_NANOS = 200_000;

    /** The helpers' thread group. */
    static final String GROUP_NAME = "layerlab-parallel";
    private static final ThreadGroup GROUP = new ThreadGroup(rootGroup(), GROUP_NAME);

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Helper[] helpers = Helper.start(threads - 1);

    /** Whether this thread is running its share of a parallel loop (a nested loop then runs on it). */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Operations per run of iterations handed out at once (see forRange). */
    private static final long GRAIN_WORK = 1 << 16;

    /** Below this many scalar operations in total, loops run on the calling thread. */
    private static final long MIN_WORK = 1 << 15;

    private Parallel() {}

    public static int threads() {
        return threads;
    }

    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: expected >= 1 thread, got " + n);
        }
        if (n != threads) {
            Helper[] old = helpers;
            helpers = Helper.start(n - 1);
            threads = n;
            for (Helper h : old) {
                h.stop();
            }
        }
    }

    /**
     * Calls body(i) for i in [0, n), in parallel when there are several threads and the loop is
     * big enough ({@code workPerItem} ≈ scalar operations per iteration).
     *
     * <p>The calling thread works too: it hands out the iterations from one counter to itself
     * and to threads − 1 helpers from the pool, so the loop starts at once, whatever a parked
     * helper takes to wake up; a helper that has not started when the iterations run out is
     * called off. An exception in any iteration stops the others and is thrown here. A loop
     * called from inside a parallel loop runs on its thread.
     */
    public static void forRange(int n, long workPerItem, IntConsumer body) {
        int t = threads;
        if (t == 1 || n < 2 || (long) n * workPerItem < MIN_WORK || INSIDE.get()[0]) {
            for (int i = 0; i < n; i++) {
                checkInterrupt();
                body.accept(i);
            }
            return;
        }
        Helper[] pool = helpers;
        // iterations are handed out in runs of `grain` (≥ GRAIN_WORK operations, while every
        // thread still gets 8 runs or more): one shared counter update per run, not per iteration
        int grain = (int) Math.max(1, Math.min((GRAIN_WORK + workPerItem - 1) / Math.max(1, workPerItem), n / (8L * t)));
        Loop loop = new Loop(n, grain, body, Math.min(pool.length + 1, n) - 1);
        for (int h = 0; h < loop.helpers.length(); h++) {
            int helper = h;
            pool[h].give(() -> loop.help(helper));
        }
        boolean finished = false;
        try {
            loop.run();
            finished = true;
        } finally {
            if (!finished) {
                // the caller leaves early (an asynchronous ThreadDeath, JDK 17's stop): the helpers stop too
                loop.fail(new CancellationException("the calling thread left the loop"));
            }
            loop.awaitHelpers();
        }
        loop.rethrow();
    }

    /** One parallel loop: the shared counter, the helpers' states, the first failure. */
    private static final class Loop {
        private static final int WAITING = 0, RUNNING = 1, DONE = 2;

        private final int n;
        private final int grain;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicIntegerArray helpers;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Loop(int n, int grain, IntConsumer body, int helpers) {
            this.n = n;
            this.grain = grain;
            this.body = body;
            this.helpers = new AtomicIntegerArray(helpers);
        }

        /** The caller's share; an interrupt of the caller stops every thread of the loop. */
        void run() {
            boolean[] inside = INSIDE.get();
            inside[0] = true;
            try {
                for (int start; failure.get() == null && (start = next.getAndAdd(grain)) < n; ) {
                    for (int i = start, end = Math.min(n, start + grain); i < end; i++) {
                        if (caller.isInterrupted()) {
                            failure.compareAndSet(null, new CancellationException("interrupted"));
                            return;
                        }
                        body.accept(i);
                    }
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                inside[0] = false;
            }
        }

        void help(int h) {
            if (!helpers.compareAndSet(h, WAITING, RUNNING)) {
                return; // called off: the caller finished the loop first
            }
            INSIDE.get()[0] = true;
            try {
                for (int start; failure.get() == null && (start = next.getAndAdd(grain)) < n; ) {
                    for (int i = start, end = Math.min(n, start + grain); i < end && failure.get() == null; i++) {
                        if (caller.isInterrupted()) {
                            // the caller may be deep in an iteration of its own: stop here, now
                            failure.compareAndSet(null, new CancellationException("interrupted"));
                            return;
                        }
                        body.accept(i);
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                INSIDE.get()[0] = false;
                helpers.set(h, DONE);
                LockSupport.unpark(caller);
            }
        }

        void fail(Throwable e) {
            failure.compareAndSet(null, e);
        }

        /** Calls off the helpers that have not started; waits for the others to finish their iteration. */
        void awaitHelpers() {
            try {
                waitForHelpers();
            } catch (Throwable e) { // stopped while waiting: no helper may go on alone
                fail(e);
                throw e;
            }
        }

        private void waitForHelpers() {
            for (int h = 0; h < helpers.length(); h++) {
                if (helpers.compareAndSet(h, WAITING, DONE)) {
                    continue;
                }
                for (int spins = 0; helpers.get(h) != DONE; spins++) {
                    if (spins < 2000) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, 50_000);
                    }
                }
            }
        }

        void rethrow() {
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) { // a checked exception thrown sneakily by the body
                throw new IllegalStateException("Parallel.forRange: an iteration failed", e);
            }
        }
    }

    /** One helper thread: runs the loops given to it, spinning a while for the next before it parks. */
    private static final class Helper implements Runnable {
        private static final AtomicInteger faults = new AtomicInteger();
        private final AtomicReference<Runnable> task = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean parked;
        private volatile boolean stopped;

        private Helper(int i) {
            thread = new Thread(GROUP, this, "layerlab-parallel-" + i);
            thread.setDaemon(true);
        }

        static Helper[] start(int n) {
            Helper[] h = new Helper[n];
            for (int i = 0; i < n; i++) {
                h[i] = new Helper(i + 1);
                h[i].thread.start();
            }
            return h;
        }

        void give(Runnable r) {
            task.set(r);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (!stopped) {
                try {
                    Runnable r = task.getAndSet(null);
                    if (r == null) {
                        r = await();
                    }
                    if (r != null) {
                        r.run(); // Loop.help: what an iteration throws is the loop's failure
                    }
                } catch (Throwable asynchronous) {
                    // NOTE: only an asynchronous exception (Thread.stop's ThreadDeath) gets here; it
                    // was meant for a cell, not for the pool: the helper stays and waits again
                    faults.incrementAndGet();
                }
            }
        }

        /** The next task: spin for SPIN_NANOS, then park until given one (or stopped). */
        private Runnable await() {
            long until = System.nanoTime() + SPIN_NANOS;
            for (int spins = 0; ; spins++) {
                Runnable r = task.getAndSet(null);
                if (r != null || stopped) {
                    return r;
                }
                if ((spins & 63) != 0 || System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                // NOTE: with the interrupt flag set, park returns at once: a stray interrupt of
                // this thread would turn the wait into a spin that never ends
                Thread.interrupted();
                parked = true;
                if (task.get() == null && !stopped) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }

    /** How many asynchronous exceptions (Thread.stop) reached a helper outside any loop; it stayed each time. */
    static int helperFaults() {
        return Helper.faults.get();
    }

    /** The top of the thread-group tree: the pool's group hangs there, under no cell's group. */
    private static ThreadGroup rootGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    /** Throws {@link CancellationException} if the current thread has been interrupted. */
    public static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted");
        }
    }
}
