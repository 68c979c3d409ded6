package layerlab.backend.cpu;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent loop iterations (usually over batch × channel) on a fixed pool.
 *
 * <p>The thread count is set with {@link #setThreads} (benchmarks compare at 1 and 2 threads);
 * it defaults to the number of cores. Small loops run inline: forking costs more than it saves.
 *
 * <p>Every loop is interruptible: an interrupt of the calling thread (the notebook's stop
 * button) ends it between iterations with a {@link CancellationException}, on every worker.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

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
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(n);
            threads = n;
            old.shutdown();
        }
    }

    /**
     * Calls body(i) for i in [0, n), in parallel when there are several threads and the loop is
     * big enough ({@code workPerItem} ≈ scalar operations per iteration).
     */
    public static void forRange(int n, long workPerItem, IntConsumer body) {
        if (threads == 1 || n < 2 || (long) n * workPerItem < MIN_WORK) {
            for (int i = 0; i < n; i++) {
                checkInterrupt();
                body.accept(i);
            }
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> task = pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
            if (stop.get()) {
                throw new CancellationException("interrupted");
            }
            body.accept(i);
        }));
        try {
            task.get();
        } catch (InterruptedException e) {
            stop.set(true);
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Throws {@link CancellationException} if the current thread has been interrupted. */
    public static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted");
        }
    }
}
