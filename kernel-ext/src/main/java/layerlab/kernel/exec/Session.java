package layerlab.kernel.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * The notebook's JShell: started once with the lab's imports, on {@link LabExecutionControl}
 * (cells run in this JVM). Until it is ready, {@link #jshell()} waits; if it failed to start,
 * every cell says so.
 */
public final class Session {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());

    /** Imported into every session; an import that does not compile (package absent) is skipped. */
    public static final List<String> START_IMPORTS = List.of(
            "import java.util.*;",
            "import java.util.function.*;",
            "import java.util.stream.*;",
            "import java.io.*;",
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.awt.image.BufferedImage;",
            "import layerlab.tensor.*;",
            "import layerlab.nn.*;",
            "import layerlab.optim.*;",
            "import layerlab.data.*;",
            "import layerlab.check.*;",
            "import layerlab.view.BnMonitor;",
            "import layerlab.view.Progress;",
            "import layerlab.view.Scale;",
            "import static layerlab.kernel.Lab.*;",
            "import static layerlab.view.Views.*;");

    private final CompletableFuture<JShell> ready = new CompletableFuture<>();
    private final List<String> importsDone = new ArrayList<>();

    /** Builds the JShell, runs the imports and warms it up; hands it to {@code evaluator}. */
    public void start(Evaluator evaluator) {
        try {
            JShell js = JShell.builder()
                    .executionEngine(new LabExecutionControl.Provider(), Map.of())
                    .out(System.out)
                    .err(System.err)
                    .build();
            js.addToClasspath(System.getProperty("java.class.path"));
            for (String imp : START_IMPORTS) {
                List<SnippetEvent> events = js.eval(imp);
                boolean ok = !events.isEmpty() && events.get(0).status() == Snippet.Status.VALID;
                if (ok) {
                    importsDone.add(imp);
                } else {
                    LOG.info("start-up import skipped (not available): " + imp);
                }
            }
            js.eval("{ }"); // warms the compiler and the engine; a statement, so no $1 variable shows in %whos
            evaluator.setJShell(js);
            ready.complete(js);
            LOG.info("JShell ready; imports: " + importsDone);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "JShell failed to start", e);
            ready.completeExceptionally(e);
        }
    }

    /** The JShell, once started; a cell error if it could not start. */
    public JShell jshell() throws CellError {
        try {
            return ready.get();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CellError("KernelError", "JShell failed to start: " + cause, List.of("KernelError: JShell failed to start: " + cause));
        }
    }

    /** The start-up imports that compiled. */
    public List<String> imports() {
        return List.copyOf(importsDone);
    }

    /** {@code %classpath}: adds jars or folders to the compiler and the class loader. */
    public void addToClasspath(List<Path> paths) throws CellError {
        JShell js = jshell();
        for (Path p : paths) {
            js.addToClasspath(p.toString());
        }
    }

    /** Closes the JShell if it started. */
    public void close() {
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            JShell js = ready.join();
            try {
                js.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing JShell", e);
            }
        }
    }
}
