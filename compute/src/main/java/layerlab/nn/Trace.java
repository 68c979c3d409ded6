package layerlab.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import layerlab.tensor.Tensor;

/**
 * Records what every layer inside a {@link Sequential}, {@link Residual} or {@link Concat}
 * produced during one forward pass — the data behind the notebook's {@code %%layers} view.
 *
 * <pre>{@code
 * List<Trace.Entry> steps = Trace.run(() -> model.forward(x));
 * try (Trace t = Trace.start()) { model.forward(x); steps = t.entries(); }
 * }</pre>
 *
 * <p>A trace is active on the thread that started it, until closed; containers record
 * (path, layer, output) after each child's forward. The path numbers children from 0 and nests
 * with dots: {@code "2: MaxPool(kernel=2, stride=2)"} is the third layer; {@code "3.1: ReLU()"}
 * the second layer inside the fourth. Outputs are kept by reference (layers return new tensors).
 * When no trace is active anywhere, containers pay one volatile read per forward.
 */
public final class Trace implements AutoCloseable {
    /** One recorded step: where the layer sits, the layer, and what it returned. */
    public record Entry(String path, Layer layer, Tensor output) {
        /** "2: MaxPool(kernel=2, stride=2)". */
        public String name() {
            return path + ": " + layer;
        }

        @Override
        public String toString() {
            return name() + " -> " + java.util.Arrays.toString(output.shape());
        }
    }

    private static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();
    private static volatile int active; // traces open on any thread; 0 → containers skip all tracing
    private static volatile Trace shared; // records on every thread that has no trace of its own

    private final List<Entry> entries = new ArrayList<>();
    private final Deque<Integer> path = new ArrayDeque<>(); // child indices from the outermost container
    private final Trace outer; // the trace this one interrupts on the same thread, if nested
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private Trace(Trace outer) {
        this.outer = outer;
    }

    /** Starts recording on the current thread; close it (try-with-resources) to stop. */
    public static Trace start() {
        Trace t = new Trace(CURRENT.get());
        CURRENT.set(t);
        synchronized (Trace.class) {
            active++;
        }
        return t;
    }

    /**
     * Starts a trace that records on every thread without a trace of its own — for a notebook's
     * {@code %%layers}, whose cell code runs on a thread the magic does not own. One at a time;
     * close it on the thread that started it. Its forwards must not run on several threads at once.
     */
    public static Trace startShared() {
        synchronized (Trace.class) {
            if (shared != null) {
                throw new IllegalStateException("Trace: a shared trace is already active");
            }
            Trace t = new Trace(null);
            shared = t;
            active++;
            return t;
        }
    }

    /** Runs {@code body} with a trace active and returns what it recorded. */
    public static List<Entry> run(Runnable body) {
        try (Trace t = start()) {
            body.run();
            return t.entries();
        }
    }

    /** The entries recorded so far, in execution order (a copy). */
    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("Trace: close() must run on the thread that started the trace ("
                    + owner.getName() + "), got " + Thread.currentThread().getName());
        }
        closed = true;
        synchronized (Trace.class) {
            active--;
            if (shared == this) {
                shared = null;
                return;
            }
        }
        CURRENT.set(outer);
        if (outer == null) {
            CURRENT.remove();
        }
    }

    // ---- for the containers -----------------------------------------------------------------

    /** The trace active on this thread, or null (fast when none is active anywhere). */
    static Trace current() {
        if (active == 0) {
            return null;
        }
        Trace own = CURRENT.get();
        return own != null ? own : shared;
    }

    /** A container is about to run its child {@code index}. */
    private void enter(int index) {
        path.addLast(index);
    }

    /** The child entered last returned {@code output}: record it and leave. */
    private void exit(Layer layer, Tensor output) {
        String p = path.stream().map(String::valueOf).collect(Collectors.joining("."));
        path.removeLast();
        entries.add(new Entry(p, layer, output));
    }

    /** A child threw: leave its path segment so the trace stays usable. */
    private void abandon() {
        path.removeLast();
    }

    /** Runs child {@code index} of a container, recording its output when a trace is active. */
    static Tensor child(int index, Layer layer, Tensor x) {
        Trace t = current();
        if (t == null) {
            return layer.forward(x);
        }
        t.enter(index);
        Tensor y;
        try {
            y = layer.forward(x);
        } catch (RuntimeException | Error e) {
            t.abandon();
            throw e;
        }
        t.exit(layer, y);
        return y;
    }
}
