package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The parallel loop: every iteration once, the caller working too, failures and interrupts. */
class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyIterationRunsExactlyOnceOnSeveralThreads() {
        Parallel.setThreads(3);
        for (int n : new int[] {2, 3, 17, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            var threads = ConcurrentHashMap.<Thread>newKeySet();
            Parallel.forRange(n, 1 << 20, i -> {
                seen.incrementAndGet(i);
                threads.add(Thread.currentThread());
                busy(20_000);
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "iteration " + i + " of " + n);
            }
            assertTrue(threads.size() <= 3, "at most 3 threads, got " + threads.size());
        }
    }

    @Test
    void theCallerWorksTooAndSmallLoopsStayOnIt() {
        Parallel.setThreads(2);
        Thread me = Thread.currentThread();
        AtomicInteger mine = new AtomicInteger();
        Parallel.forRange(200, 1 << 20, i -> {
            if (Thread.currentThread() == me) {
                mine.incrementAndGet();
            }
            busy(50_000);
        });
        assertTrue(mine.get() > 0, "the calling thread ran some iterations");
        AtomicInteger elsewhere = new AtomicInteger();
        Parallel.forRange(4, 10, i -> elsewhere.addAndGet(Thread.currentThread() == me ? 0 : 1));
        assertEquals(0, elsewhere.get(), "a loop below the work threshold runs on the caller");
    }

    @Test
    void aNestedLoopRunsOnItsThread() {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Parallel.forRange(8, 1 << 20, i -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(8, 1 << 20, j -> {
                assertSame(outer, Thread.currentThread());
                total.incrementAndGet();
            });
        });
        assertEquals(64, total.get());
    }

    @Test
    void anExceptionInAnIterationIsThrownToTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1 << 20, i -> {
            busy(10_000);
            if (i == 37) {
                throw new IllegalStateException("iteration 37");
            }
        }));
        assertEquals("iteration 37", e.getMessage());
    }

    @Test
    void anInterruptOfTheCallerStopsTheLoopOnEveryThread() throws Exception {
        Parallel.setThreads(2);
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                Parallel.forRange(1_000_000, 1 << 20, i -> {
                    started.countDown();
                    busy(100_000);
                    done.incrementAndGet();
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(5000);
        assertTrue(!t.isAlive(), "the loop ended within 5 s of the interrupt");
        assertTrue(thrown.get() instanceof CancellationException, "got " + thrown.get());
        int after = done.get();
        Thread.sleep(100);
        assertEquals(after, done.get(), "no iteration runs after the loop returned");
        assertTrue(after < 1_000_000);
    }

    private static volatile double sink;

    private static void busy(int steps) {
        double s = 0;
        for (int k = 0; k < steps; k++) {
            s += Math.sqrt(k);
        }
        sink = s;
    }
}
