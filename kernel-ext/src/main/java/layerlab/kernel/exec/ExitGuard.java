package layerlab.kernel.exec;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the kernel answers when Java code asks to end the JVM ({@link ExitAgent} makes
 * {@code Runtime.exit} and {@code Runtime.halt} ask): no, with a {@link CellExit} thrown in the
 * calling thread — unless the kernel itself is shutting down. So a student's
 * {@code System.exit(0)} ends the cell with an error and keeps the kernel and every variable;
 * in a thread the cell started, that thread ends and the cell's output says why.
 */
public final class ExitGuard {
    private static final Logger LOG = Logger.getLogger(ExitGuard.class.getName());
    private static volatile boolean kernelExiting;
    private static volatile Consumer<String> offCell = m -> { };

    private ExitGuard() {}

    /**
     * Installs the decision; returns whether exits are really guarded (the agent ran).
     * {@code offCell} hears of an exit refused outside the running snippet's thread (a thread a
     * cell started, whose error nobody would see).
     */
    public static boolean install(Consumer<String> offCell) {
        ExitGuard.offCell = offCell;
        Class<?> gate = ExitAgent.gate();
        if (gate == null) {
            return false;
        }
        try {
            ObjIntConsumer<String> decision = ExitGuard::check;
            gate.getField("decision").set(null, decision);
            return true;
        } catch (ReflectiveOperationException e) {
            LOG.log(Level.WARNING, "exit guard: the gate is not there", e);
            return false;
        }
    }

    /** The kernel is ending (shutdown_request, end of main): exits go through from now on. */
    public static void allowExit() {
        kernelExiting = true;
    }

    public static boolean kernelExiting() {
        return kernelExiting;
    }

    private static void check(String call, int status) {
        if (kernelExiting) {
            return;
        }
        String what = caller(call) + "(" + status + ")";
        LOG.info("refused " + what + " in thread " + Thread.currentThread().getName());
        CellExit refusal = new CellExit(what);
        if (Thread.currentThread() != LabExecutionControl.snippetThread()) {
            offCell.accept(refusal.getMessage() + " (in thread \"" + Thread.currentThread().getName() + "\", which ends here)");
        }
        throw refusal;
    }

    /** "System.exit" when Runtime.exit was reached through it, else "Runtime.exit" / "Runtime.halt". */
    private static String caller(String call) {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s.limit(8).toList());
        for (int i = 0; i + 1 < frames.size(); i++) {
            StackWalker.StackFrame f = frames.get(i);
            if (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals(call)) {
                StackWalker.StackFrame up = frames.get(i + 1);
                if (up.getClassName().equals("java.lang.System") && up.getMethodName().equals("exit")) {
                    return "System.exit";
                }
                break;
            }
        }
        return "Runtime." + call;
    }
}
