package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    @Test
    void theHelpersLiveInAThreadGroupOfTheirOwn() throws Exception {
        // a notebook kernel interrupts (JDK 17: stops) a cell's threads by their group: the pool
        // a cell happens to create first must not be among them
        ThreadGroup cell = new ThreadGroup("a cell");
        Thread t = new Thread(cell, () -> Parallel.setThreads(3), "cell thread");
        t.start();
        t.join();
        Thread[] inCell = new Thread[cell.activeCount() + 8];
        int n = cell.enumerate(inCell);
        for (int i = 0; i < n; i++) {
            assertTrue(!inCell[i].getName().startsWith("layerlab-parallel"), "helper in the cell's group: " + inCell[i]);
        }
        List<Thread> helpers = helpers();
        assertEquals(2, helpers.size(), helpers.toString());
        for (Thread h : helpers) {
            assertEquals(Parallel.GROUP_NAME, h.getThreadGroup().getName());
        }
    }

    @Test
    void anInterruptedHelperParksInsteadOfSpinning() throws Exception {
        Parallel.setThreads(2);
        Parallel.forRange(64, 1 << 20, i -> busy(10_000)); // the helper ran and waits again
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Thread> helpers = helpers();
        assertEquals(1, helpers.size(), helpers.toString());
        Thread h = helpers.get(0);
        h.interrupt(); // as a kernel interrupting "every thread" would
        Thread.sleep(100);
        long cpu0 = mx.getThreadCpuTime(h.getId());
        Thread.sleep(500);
        long cpu = mx.getThreadCpuTime(h.getId()) - cpu0;
        assertTrue(cpu < 20_000_000L, "an interrupted idle helper used " + cpu / 1e6 + " ms of CPU in 500 ms");
        assertEquals(Thread.State.WAITING, h.getState(), "the helper parks");
        AtomicInteger count = new AtomicInteger();
        Parallel.forRange(1000, 1 << 20, i -> count.incrementAndGet());
        assertEquals(1000, count.get(), "the pool still works after the interrupt");
    }

    @Test
    void aHelperStopsAtItsNextIterationWhenTheCallerIsInterrupted() throws Exception {
        Parallel.setThreads(2);
        Thread me = Thread.currentThread();
        AtomicInteger afterInterrupt = new AtomicInteger();
        AtomicReference<Thread> helper = new AtomicReference<>();
        CountDownLatch helperRunning = new CountDownLatch(1);
        assertThrows(CancellationException.class, () -> Parallel.forRange(100_000, 1 << 20, i -> {
            if (Thread.currentThread() == me) {
                try {
                    assertTrue(helperRunning.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                me.interrupt();
                busy(2_000_000); // the caller is busy in its own iteration: the helper must stop by itself
            } else {
                helper.set(Thread.currentThread());
                helperRunning.countDown();
                if (me.isInterrupted()) {
                    afterInterrupt.incrementAndGet();
                }
                busy(20_000);
            }
        }));
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        assertTrue(afterInterrupt.get() <= 1, afterInterrupt.get() + " helper iterations began after the interrupt");
        assertTrue(helper.get() != null);
    }

    @Test
    void aHelperHitByThreadStopStaysInThePool() throws Exception {
        // JDK 17's JShell stops a cell's threads with Thread.stop; were a helper among them, the
        // pool must not shrink (from JDK 20 on, Thread.stop throws UnsupportedOperationException)
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop works only before JDK 20");
        Parallel.setThreads(2);
        Thread h = helpers().get(0);
        int before = Parallel.helperFaults();
        Thread.class.getMethod("stop").invoke(h);
        for (int i = 0; i < 100 && Parallel.helperFaults() == before; i++) {
            Thread.sleep(20);
        }
        assertEquals(before + 1, Parallel.helperFaults(), "the ThreadDeath reached the helper");
        assertTrue(h.isAlive(), "the helper is still there");
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        Parallel.forRange(200, 1 << 20, i -> {
            ran.add(Thread.currentThread());
            busy(20_000);
        });
        assertTrue(ran.contains(h), "the helper still takes loops: " + ran);
    }

    /** The pool's helper threads (those replaced by setThreads have ended by then). */
    private static List<Thread> helpers() throws InterruptedException {
        Thread.sleep(100);
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("layerlab-parallel-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
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
