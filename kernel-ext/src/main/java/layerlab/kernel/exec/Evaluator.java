package layerlab.kernel.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private volatile int executionCount;
    /** Snippet id → the cell and line its source came from, for stack traces. */
    private final Map<String, CellErrors.Origin> origins = new ConcurrentHashMap<>();

    /** The kernel's own remarks go to {@code streams}' stdout, not to whatever System.out is. */
    public Evaluator(CellThreads threads, CellStreams streams) {
        this.threads = threads;
        this.streams = streams;
        LabExecutionControl.onSnippet(threads::enterSnippet);
    }

    public void setJShell(JShell js) {
        this.jshell = js;
        origins.clear();
    }

    /** A cell starts: forget an interrupt that came for an earlier one. */
    public synchronized void startCell() {
        startCell(0);
    }

    /** {@code executionCount}: the cell's {@code In [n]}, 0 where there is none. */
    public synchronized void startCell(int executionCount) {
        this.executionCount = executionCount;
        interruptRequested = false;
        cellActive = true;
        layerlab.optim.Activity.clear(); // an interrupted loop's activity belongs to its own cell
    }

    public synchronized void endCell() {
        cellActive = false;
    }

    /**
     * Evaluates Java source (one or more snippets); returns the last snippet's value or
     * {@link #NO_VALUE}. {@code firstLine}: the cell line the source starts on (for the line
     * numbers of errors).
     *
     * <p>JShell compiles each snippet on its own (about 10 ms each), so a cell of many
     * statements would spend seconds compiling. Declarations (variables, methods, classes,
     * imports) must stay snippets of their own, for later cells to see them; a run of
     * consecutive statements between them is compiled as one block. The cell's last unit, when
     * it is an expression, stays alone (its value is shown). A block the compiler rejects ran
     * nothing: its statements are then run one by one, so the error and what ran before it are
     * exactly as without the block.
     */
    public Object runCode(JShell js, String code, int firstLine) throws CellError {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        List<Unit> units = split(sca, code, firstLine);
        Object value = NO_VALUE;
        List<Unit> statements = new ArrayList<>();
        int snippets = 0;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u.complete() && mergeable(sca, u.src(), i == units.size() - 1)) {
                statements.add(u);
                continue;
            }
            snippets += runStatements(js, statements);
            value = evalSnippet(js, u.src(), u.line(), null, true);
            snippets++;
        }
        if (!statements.isEmpty()) {
            snippets += runStatements(js, statements);
            value = NO_VALUE;
        }
        int n = snippets;
        LOG.info(() -> "cell code from line " + firstLine + ": " + units.size() + " units ran as " + n + " snippets");
        return value;
    }

    /** One unit of a cell: a snippet's source and the cell line it starts on. */
    private record Unit(String src, int line, boolean complete) {}

    /** Cuts source into JShell's units; a unit keeps its leading blank lines and comments. */
    private List<Unit> split(SourceCodeAnalysis sca, String code, int firstLine) {
        List<Unit> units = new ArrayList<>();
        String rest = code;
        int line = firstLine;
        int done = 0; // characters of code already cut into units
        while (!rest.isBlank()) {
            streams.repairNulls(); // the completeness analysis compiles, and writes to System.err
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            String src;
            boolean complete = true;
            switch (ci.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    src = ci.source();
                    rest = ci.remaining();
                }
                case EMPTY -> {
                    return units;
                }
                default -> {
                    src = rest;
                    rest = "";
                    complete = false;
                }
            }
            units.add(new Unit(src, line, complete));
            int consumed = code.length() - rest.length();
            line += (int) code.substring(done, consumed).chars().filter(ch -> ch == '\n').count();
            done = consumed;
        }
        return units;
    }

    /**
     * Whether a unit may join a block of statements: a statement, or an expression used as
     * one (an assignment, a call) unless it is the cell's last unit, whose value is shown.
     * Asked of the JShell state the unit will run in: the statements already gathered declare
     * nothing.
     */
    private boolean mergeable(SourceCodeAnalysis sca, String src, boolean last) {
        streams.repairNulls();
        List<Snippet> sns = sca.sourceToSnippets(src);
        if (sns.size() != 1) {
            return false;
        }
        Snippet sn = sns.get(0);
        return switch (sn.kind()) {
            case STATEMENT -> true;
            case EXPRESSION -> !last && (sn.subKind() == Snippet.SubKind.ASSIGNMENT_SUBKIND
                    || sn.subKind() == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);
            case VAR -> !last && sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            default -> false;
        };
    }

    /**
     * Runs gathered statements as one block (one alone as itself); empties the list. Returns
     * the number of snippets that took.
     */
    private int runStatements(JShell js, List<Unit> statements) throws CellError {
        if (statements.isEmpty()) {
            return 0;
        }
        List<Unit> todo = List.copyOf(statements);
        statements.clear();
        if (todo.size() == 1) {
            evalSnippet(js, todo.get(0).src(), todo.get(0).line(), null, true);
            return 1;
        }
        StringBuilder block = new StringBuilder("{");
        for (Unit u : todo) {
            block.append(u.src());
        }
        block.append("\n}");
        try {
            evalSnippet(js, block.toString(), todo.get(0).line(), null, true);
            return 1;
        } catch (CellError e) {
            if (!"CompilationError".equals(e.ename)) {
                throw e;
            }
            LOG.fine(() -> "a block of " + todo.size() + " statements did not compile; running them one by one");
            for (Unit u : todo) {
                evalSnippet(js, u.src(), u.line(), null, true);
            }
            return 1 + todo.size();
        }
    }

    /** Evaluates exactly one snippet. */
    public Object evalSnippet(JShell js, String src) throws CellError {
        return evalSnippet(js, src, 1, null, false);
    }

    /**
     * Evaluates one snippet that wraps code the user wrote ({@code %timeit}): a compile error
     * shows that code, {@code user}, with the caret where it was in the wrapper, not the wrapper.
     */
    public Object evalWrapped(JShell js, String src, CellErrors.Wrapped user) throws CellError {
        return evalSnippet(js, src, 1, user, false);
    }

    /** {@code cellCode}: the source is the cell's own (its lines are named in later stack traces). */
    private Object evalSnippet(JShell js, String src, int firstLine, CellErrors.Wrapped user, boolean cellCode) throws CellError {
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
        if (cellCode && main.status() != Snippet.Status.REJECTED) {
            origins.put(sn.id(), new CellErrors.Origin(executionCount, firstLine));
        }
        if (main.status() == Snippet.Status.REJECTED) {
            throw CellErrors.compileError(js, sn, firstLine, user);
        }
        if (main.exception() != null) {
            throw CellErrors.runtimeError(js, main.exception(), origins::get);
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
