package layerlab.kernel.exec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import layerlab.kernel.wire.Wire;

/**
 * Which cell started a thread. JShell's local engine runs every snippet on a new thread in a new
 * thread group, and a thread the snippet starts joins that group (as do the threads those start):
 * the group of a thread, or of one of its ancestors, names the cell. The kernel uses it to send a
 * background thread's output to the cell that started it, and to name on an interrupt the
 * threads that are still running.
 *
 * <p>Threads of virtual-thread executors and of pools created outside any cell (the lab's
 * {@code Parallel} helpers) belong to no cell.
 */
public final class CellThreads {
    /** One cell: its number ({@code In [n]}) and its execute request, the parent of its output. */
    public record Cell(int number, Wire.Message request) {
        /** How the notebook labels it. */
        public String label() {
            return "In [" + number + "]";
        }
    }

    private final Map<ThreadGroup, Cell> groups = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile Cell running;

    /** A cell starts (null: code that belongs to no cell, such as the start-up imports). */
    public void start(Cell cell) {
        running = cell;
    }

    public void end() {
        running = null;
    }

    /** The cell whose code runs now, or null between cells. */
    public Cell running() {
        return running;
    }

    /** Called on a snippet's thread as it starts: its group belongs to the running cell. */
    void enterSnippet(Thread snippet) {
        Cell c = running;
        ThreadGroup g = snippet.getThreadGroup();
        if (c != null && g != null) {
            groups.put(g, c);
        }
    }

    /** The cell that started {@code t}, or null. */
    public Cell origin(Thread t) {
        for (ThreadGroup g = t.getThreadGroup(); g != null; g = g.getParent()) {
            Cell c = groups.get(g);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** Every live thread that a cell started, but {@code except} (the snippet thread that is ending). */
    List<Thread> live(Thread except) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all;
        int n;
        do { // enumerate fills at most the array: grow it until every thread fits
            all = new Thread[root.activeCount() + 16];
            n = root.enumerate(all, true);
        } while (n == all.length);
        List<Thread> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = all[i];
            if (t != except && t != Thread.currentThread() && t.isAlive() && origin(t) != null) {
                out.add(t);
            }
        }
        out.sort((a, b) -> Long.compare(a.getId(), b.getId()));
        return out;
    }

    /** Interrupts every live thread a cell started; returns how many. */
    int interruptAll(Thread except) {
        List<Thread> all = live(except);
        all.forEach(Thread::interrupt);
        return all.size();
    }

    /**
     * The threads cells started that are still alive, each as {@code "name" (state, started in
     * In [n])}, after giving those that were just interrupted up to {@code graceMillis} to end.
     */
    List<String> stillRunning(Thread except, long graceMillis) {
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        List<String> out = new ArrayList<>();
        for (Thread t : live(except)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Cell c = origin(t);
            if (t.isAlive() && c != null) {
                out.add("\"" + t.getName() + "\" (" + t.getState() + ", started in " + c.label() + ")");
            }
        }
        return out;
    }
}
