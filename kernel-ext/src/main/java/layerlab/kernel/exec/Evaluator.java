package layerlab.kernel.exec;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs Java source through JShell snippet by snippet, turns failures into {@link CellError}s,
 * and stops a running snippet on interrupt.
 */
public final class Evaluator {
    private static final Logger LOG = Logger.getLogger(Evaluator.class.getName());

    /** Marks "the cell has no value to show". */
    public static final Object NO_VALUE = new Object();

    private final CellThreads threads;
    private final CellStreams streams;
    private volatile JShell jshell;
    private volatile boolean evalRunning;
    /** Counts evaluations, so an interrupt stops only the evaluation it was meant for. */
    private volatile long evalGeneration;
    private volatile boolean interruptRequested;
    /** True from the start of an execute request to its reply (evalRunning only while JShell runs). */
    private volatile boolean cellActive;
    private volatile Thread stopper;

    /** The kernel's own remarks go to {@code streams}' stdout, not to whatever System.out is. */
    public Evaluator(CellThreads threads, CellStreams streams) {
        this.threads = threads;
        this.streams = streams;
        LabExecutionControl.onSnippet(threads::enterSnippet);
    }

    public void setJShell(JShell js) {
        this.jshell = js;
    }

    /** A cell starts: forget an interrupt that came for an earlier one. */
    public synchronized void startCell() {
        interruptRequested = false;
        cellActive = true;
        layerlab.optim.Activity.clear(); // an interrupted loop's activity belongs to its own cell
    }

    public synchronized void endCell() {
        cellActive = false;
    }

    /**
     * Evaluates Java source (one or more snippets); returns the last snippet's value or
     * {@link #NO_VALUE}. {@code firstLine}: the cell line the source starts on (for
     * the line numbers of compile errors).
     */
    public Object runCode(JShell js, String code, int firstLine) throws CellError {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = code;
        Object value = NO_VALUE;
        while (!rest.isBlank()) {
            streams.repairNulls(); // the completeness analysis below compiles, and writes to System.err
            int start = code.length() - rest.length(); // a snippet's source keeps its leading blank lines
            int line = firstLine + (int) code.substring(0, start).chars().filter(ch -> ch == '\n').count();
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            String src;
            switch (ci.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    src = ci.source();
                    rest = ci.remaining();
                }
                case EMPTY -> {
                    return value;
                }
                default -> {
                    src = rest;
                    rest = "";
                }
            }
            value = evalSnippet(js, src, line, null);
        }
        return value;
    }

    /** Evaluates exactly one snippet. */
    public Object evalSnippet(JShell js, String src) throws CellError {
        return evalSnippet(js, src, 1, null);
    }

    /**
     * Evaluates one snippet that wraps code the user wrote ({@code %timeit}): a compile error
     * shows that code, {@code user}, with the caret where it was in the wrapper, not the wrapper.
     */
    public Object evalWrapped(JShell js, String src, CellErrors.Wrapped user) throws CellError {
        return evalSnippet(js, src, 1, user);
    }

    private Object evalSnippet(JShell js, String src, int firstLine, CellErrors.Wrapped user) throws CellError {
        if (interruptRequested) {
            throw CellErrors.interrupted(null, List.of());
        }
        LabExecutionControl.clearLastValue();
        streams.repairNulls();
        List<SnippetEvent> events;
        synchronized (this) {
            evalGeneration++;
            evalRunning = true;
        }
        try {
            events = js.eval(src);
        } finally {
            synchronized (this) {
                evalRunning = false;
            }
        }
        SnippetEvent main = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                main = e;
                break;
            }
        }
        if (interruptRequested) {
            // the threads cells started were interrupted too: name those that go on
            throw CellErrors.interrupted(main != null ? main.exception() : null, threads.stillRunning(null, 300));
        }
        if (main == null) {
            return NO_VALUE;
        }
        Snippet sn = main.snippet();
        if (main.status() == Snippet.Status.REJECTED) {
            throw CellErrors.compileError(js, sn, firstLine, user);
        }
        if (main.exception() != null) {
            throw CellErrors.runtimeError(js, main.exception());
        }
        if (main.status() == Snippet.Status.RECOVERABLE_DEFINED || main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
                String missing = js.unresolvedDependencies(ds).collect(Collectors.joining(", "));
                streams.out().println("note: " + CellErrors.describe(sn) + " can be used once " + missing + " is declared");
            }
        }
        return switch (sn.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> LabExecutionControl.lastValue();
            default -> NO_VALUE;
        };
    }

    /**
     * Stops the running cell: interrupts its threads and those earlier cells started (a sleep
     * or an interruptible library loop ends), then, while it still runs, asks JShell to stop it
     * (Thread.stop on JDK 17, the stop checks woven into cell code on newer JDKs) and interrupts
     * again, every 200 ms. With no cell running, it interrupts the threads cells started.
     */
    public void interrupt() {
        synchronized (this) {
            if (!cellActive && !evalRunning) {
                int n = threads.interruptAll(null);
                LOG.info("interrupt: no cell is running; interrupted " + n + " thread(s) that cells started");
                return;
            }
            interruptRequested = true; // a snippet not yet started will not start
            if (!evalRunning || (stopper != null && stopper.isAlive())) {
                return;
            }
            long generation = evalGeneration;
            stopper = new Thread(() -> stopCell(generation), "layerlab-interrupt");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    private boolean stillRunning(long generation) {
        synchronized (this) {
            return evalRunning && evalGeneration == generation;
        }
    }

    private void stopCell(long generation) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int round = 0;
        while (stillRunning(generation) && System.nanoTime() < deadline) {
            synchronized (this) {
                if (!stillRunning(generation)) {
                    break;
                }
                interruptSnippetThreads();
            }
            if (round > 0) {
                try {
                    JShell js = jshell;
                    if (js != null && stillRunning(generation)) {
                        js.stop();
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "JShell.stop failed", e);
                }
            }
            round++;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
        LOG.info("interrupt: " + (stillRunning(generation) ? "cell still running after 30 s" : "cell stopped after " + round + " round(s)"));
    }

    /** The snippet's thread, every thread it started, and the threads earlier cells started. */
    private void interruptSnippetThreads() {
        Thread t = LabExecutionControl.snippetThread();
        if (t != null) {
            t.interrupt();
        }
        threads.interruptAll(null);
    }
}
