package layerlab.kernel.exec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution engine, keeping the real result object of each snippet.
 *
 * <p>{@link LocalExecutionControl} runs a snippet's {@code do_it$} method on its own thread and
 * turns the result into a string. Here the method it is given is a trampoline,
 * {@link #runSnippet()}, which calls the real {@code do_it$} and keeps what it returns in a
 * static holder, so the kernel can hand the object itself to the renderers. Everything else —
 * the snippet thread, and {@code stop()} (Thread.stop on JDK 17, stop checks woven into the
 * snippet's bytecode on newer JDKs) — is the JDK's own.
 */
public final class LabExecutionControl extends LocalExecutionControl {
    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = LabExecutionControl.class.getMethod("runSnippet");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile Consumer<Thread> snippetListener = t -> { };
    private static volatile Method pending;
    private static volatile Object lastValue;
    private static volatile Thread snippetThread;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        pending = doitMethod;
        lastValue = null;
        return super.invoke(TRAMPOLINE);
    }

    /**
     * Runs the pending snippet on the engine's snippet thread. Public only so that the engine can
     * call it reflectively; not for cells.
     */
    public static Object runSnippet() throws Throwable {
        Method doit = pending;
        pending = null;
        snippetThread = Thread.currentThread();
        snippetListener.accept(snippetThread);
        try {
            Object value = doit.invoke(null);
            lastValue = value;
            return value;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            snippetThread = null;
        }
    }

    /** The object the last snippet returned (null when it returned nothing or failed). */
    public static Object lastValue() {
        return lastValue;
    }

    public static void clearLastValue() {
        lastValue = null;
    }

    /** Told of each snippet's thread as it starts (on that thread): {@link CellThreads} keeps its group. */
    public static void onSnippet(Consumer<Thread> listener) {
        snippetListener = listener;
    }

    /** The thread running the current snippet, or null between snippets. */
    public static Thread snippetThread() {
        return snippetThread;
    }

    /** Registers this engine with JShell under the name {@code layerlab-local}. */
    public static final class Provider implements ExecutionControlProvider {
        @Override
        public String name() {
            return "layerlab-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new LabExecutionControl();
        }
    }
}
