package layerlab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.github.spencerpark.jupyter.kernel.magic.registry.UndefinedMagicException;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import layerlab.kernel.exec.LabExecutionControl;
import layerlab.kernel.wire.ConnectionInfo;
import layerlab.kernel.wire.KernelServer;
import layerlab.kernel.wire.Wire;

/**
 * The layerlab Jupyter kernel: Java cells evaluated by JShell in this JVM.
 *
 * <p>Built on the base library's kernel API ({@link BaseKernel}: renderer registry, magics
 * registry, language info), with this project's own protocol layer ({@link KernelServer}) and
 * evaluation ({@link LabExecutionControl}). Start with {@code java layerlab.kernel.LabKernel
 * CONNECTION_FILE}; the kernelspec written by {@code ./lab} does that.
 */
public final class LabKernel extends BaseKernel {
    static final Logger LOG = Logger.getLogger(LabKernel.class.getName());
    static final String VERSION = "0.1.0";

    /** Marks "the cell has no value to show". */
    static final Object NO_VALUE = new Object();

    /** Imported into every session; an import that does not compile (package absent) is skipped. */
    static final List<String> START_IMPORTS = List.of(
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
            "import static layerlab.kernel.Lab.*;");

    private final KernelServer server;
    private final CellStreams streams;
    private final CompletableFuture<JShell> ready = new CompletableFuture<>();
    private final Magics magics = new Magics();
    private final LabMagics labMagics;
    private final List<String> startImportsDone = new ArrayList<>();
    private volatile JShell jshell;
    private volatile boolean evalRunning;
    /** Counts evaluations, so an interrupt stops only the evaluation it was meant for. */
    private volatile long evalGeneration;
    private volatile boolean interruptRequested;
    private volatile Thread stopper;

    LabKernel(KernelServer server) {
        this.server = server;
        this.streams = new CellStreams(server);
        Renderers.registerDefaults(getRenderer());
        this.labMagics = new LabMagics(this);
        labMagics.registerAll(magics);
    }

    public static void main(String[] args) throws Exception {
        KernelLog.configure();
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java layerlab.kernel.LabKernel CONNECTION_FILE");
        }
        ConnectionInfo info = ConnectionInfo.read(Paths.get(args[0]));
        KernelServer server = new KernelServer(info, new Wire(info.signatureScheme(), info.key()));
        LabKernel kernel = new LabKernel(server);
        Lab.attach(kernel);
        kernel.streams.install();
        server.start(kernel::handle);
        LOG.info("layerlab kernel listening (" + info.transport() + "://" + info.ip() + ", shell " + info.shellPort()
                + "), Java " + Runtime.version());
        kernel.startJShell();
        server.awaitShutdown();
        LOG.info("layerlab kernel stopped");
        JShell js = kernel.jshell;
        if (js != null) {
            try {
                js.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing JShell", e);
            }
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ start-up

    private void startJShell() {
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
                    startImportsDone.add(imp);
                } else {
                    LOG.info("start-up import skipped (not available): " + imp);
                }
            }
            js.eval("0"); // warms the compiler and the engine
            this.jshell = js;
            ready.complete(js);
            LOG.info("JShell ready; imports: " + startImportsDone);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "JShell failed to start", e);
            ready.completeExceptionally(e);
        }
    }

    JShell jshell() throws CellError {
        try {
            return ready.get();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CellError("KernelError", "JShell failed to start: " + cause, List.of("KernelError: JShell failed to start: " + cause));
        }
    }

    List<String> startImports() {
        return List.copyOf(startImportsDone);
    }

    // ------------------------------------------------------------------ dispatch

    void handle(KernelServer.Request request) {
        Wire.Message m = request.message;
        switch (m.type()) {
            case "kernel_info_request" -> request.reply("kernel_info_reply", kernelInfo());
            case "execute_request" -> execute(request);
            case "complete_request" -> request.reply("complete_reply", completeReply(m.content()));
            case "inspect_request" -> request.reply("inspect_reply", inspectReply(m.content()));
            case "is_complete_request" -> request.reply("is_complete_reply", isCompleteReply(m.content()));
            case "history_request" -> {
                JsonObject c = ok();
                c.add("history", new JsonArray());
                request.reply("history_reply", c);
            }
            case "comm_info_request" -> {
                JsonObject c = ok();
                c.add("comms", new JsonObject());
                request.reply("comm_info_reply", c);
            }
            case "interrupt_request" -> {
                interrupt();
                request.reply("interrupt_reply", ok());
            }
            case "shutdown_request" -> {
                JsonObject c = ok();
                boolean restart = m.content().has("restart") && m.content().get("restart").getAsBoolean();
                c.addProperty("restart", restart);
                request.reply("shutdown_reply", c);
                Thread t = new Thread(server::shutdown, "layerlab-shutdown");
                t.setDaemon(true);
                t.start();
            }
            case "comm_open", "comm_msg", "comm_close" -> LOG.fine("ignored " + m.type());
            default -> LOG.warning("unhandled message type " + m.type() + " on " + request.channel);
        }
    }

    private static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        return o;
    }

    JsonObject kernelInfo() {
        JsonObject c = ok();
        c.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        c.addProperty("implementation", "layerlab");
        c.addProperty("implementation_version", VERSION);
        LanguageInfo li = getLanguageInfo();
        JsonObject lang = new JsonObject();
        lang.addProperty("name", li.getName());
        lang.addProperty("version", li.getVersion());
        lang.addProperty("mimetype", li.getMimetype());
        lang.addProperty("file_extension", li.getFileExtension());
        lang.addProperty("pygments_lexer", li.getPygmentsLexer());
        lang.addProperty("codemirror_mode", String.valueOf(li.getCodemirrorMode()));
        lang.addProperty("nbconvert_exporter", li.getNbconvertExporter());
        c.add("language_info", lang);
        c.addProperty("banner", getBanner());
        JsonArray links = new JsonArray();
        for (LanguageInfo.Help h : getHelpLinks()) {
            JsonObject l = new JsonObject();
            l.addProperty("text", h.getText());
            l.addProperty("url", h.getUrl());
            links.add(l);
        }
        c.add("help_links", links);
        c.addProperty("debugger", false);
        return c;
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".java",
                "java", "text/x-java", "script");
    }

    @Override
    public String getBanner() {
        return "layerlab " + VERSION + " — Java " + Runtime.version() + " (" + System.getProperty("java.vm.name")
                + ")\nCells are Java (JShell). Magics: %lsmagic. Lab helpers: display(x), updateDisplay(id, x).";
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        int feature = Runtime.version().feature();
        return List.of(
                new LanguageInfo.Help("Java " + feature + " API",
                        "https://docs.oracle.com/en/java/javase/" + feature + "/docs/api/index.html"),
                new LanguageInfo.Help("JShell guide",
                        "https://docs.oracle.com/en/java/javase/" + feature + "/jshell/introduction-jshell.html"),
                new LanguageInfo.Help("Jupyter messaging", "https://jupyter-client.readthedocs.io/en/latest/messaging.html"));
    }

    // ------------------------------------------------------------------ execute

    private void execute(KernelServer.Request request) {
        Wire.Message m = request.message;
        JsonObject c = m.content();
        String code = c.has("code") ? c.get("code").getAsString() : "";
        boolean silent = bool(c, "silent", false);
        boolean storeHistory = bool(c, "store_history", !silent);
        boolean allowStdin = bool(c, "allow_stdin", true);
        int count = storeHistory ? executionCount.incrementAndGet() : executionCount.get();
        if (!silent) {
            JsonObject in = new JsonObject();
            in.addProperty("code", code);
            in.addProperty("execution_count", count);
            request.publish("execute_input", in);
        }
        streams.attach(m, allowStdin);
        JsonObject reply;
        try {
            Object value = runCell(code);
            streams.flush();
            if (value != NO_VALUE && !silent) {
                DisplayData data = renderForCell(value);
                JsonObject result = bundle(data);
                result.remove("transient");
                result.addProperty("execution_count", count);
                request.publish("execute_result", result);
            }
            reply = ok();
        } catch (CellError e) {
            streams.flush();
            reply = errorContent(e);
            reply.addProperty("status", "error");
            if (!silent) {
                request.publish("error", errorContent(e));
            }
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "kernel failure in a cell", e);
            streams.flush();
            CellError ke = new CellError("KernelError", String.valueOf(e), List.of("KernelError: " + e));
            reply = errorContent(ke);
            reply.addProperty("status", "error");
            request.publish("error", errorContent(ke));
        }
        reply.addProperty("execution_count", count);
        reply.add("user_expressions", new JsonObject());
        reply.add("payload", new JsonArray());
        request.reply("execute_reply", reply);
    }

    private DisplayData renderForCell(Object value) throws CellError {
        try {
            return Renderers.render(getRenderer(), value);
        } catch (RuntimeException e) {
            throw new CellError("RenderError", "could not render a " + value.getClass().getName() + ": " + e,
                    List.of("RenderError: could not render a " + value.getClass().getName() + ": " + e));
        }
    }

    private static boolean bool(JsonObject o, String name, boolean fallback) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }

    private static JsonObject errorContent(CellError e) {
        JsonObject o = new JsonObject();
        o.addProperty("ename", e.ename);
        o.addProperty("evalue", e.evalue);
        JsonArray tb = new JsonArray();
        e.traceback.forEach(tb::add);
        o.add("traceback", tb);
        return o;
    }

    static JsonObject bundle(DisplayData data) {
        JsonObject tree = Wire.GSON.toJsonTree(data).getAsJsonObject();
        JsonObject out = new JsonObject();
        out.add("data", tree.has("data") ? tree.get("data") : new JsonObject());
        JsonElement md = tree.get("metadata");
        out.add("metadata", md == null || md.isJsonNull() ? new JsonObject() : md);
        JsonElement tr = tree.get("transient");
        out.add("transient", tr == null || tr.isJsonNull() ? new JsonObject() : tr);
        return out;
    }

    /** Runs one cell: a cell magic, or code with line magics between lines. Returns its value or {@link #NO_VALUE}. */
    Object runCell(String code) throws CellError {
        JShell js = jshell();
        synchronized (this) {
            interruptRequested = false;
        }
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            int nl = stripped.indexOf('\n');
            String head = (nl < 0 ? stripped : stripped.substring(0, nl)).substring(2).strip();
            String body = nl < 0 ? "" : stripped.substring(nl + 1);
            String name = head.split("\\s+", 2)[0];
            String rest = head.length() > name.length() ? head.substring(name.length()).strip() : "";
            return applyCellMagic(name, rest, body);
        }
        Object last = NO_VALUE;
        StringBuilder chunk = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            String t = line.stripLeading();
            if (t.startsWith("%") && !t.startsWith("%%") && t.length() > 1 && Character.isLetter(t.charAt(1))) {
                if (!chunk.toString().isBlank()) {
                    last = runCode(js, chunk.toString());
                }
                chunk.setLength(0);
                last = applyLineMagic(t.substring(1).strip());
            } else {
                chunk.append(line).append('\n');
            }
        }
        if (!chunk.toString().isBlank()) {
            last = runCode(js, chunk.toString());
        }
        return last;
    }

    private Object applyLineMagic(String call) throws CellError {
        String name = call.split("\\s+", 2)[0];
        String rest = call.length() > name.length() ? call.substring(name.length()).strip() : "";
        try {
            Object r = magics.applyLineMagic(name, labMagics.argsFor(name, rest));
            return r == null ? NO_VALUE : r;
        } catch (UndefinedMagicException e) {
            throw CellError.usage("unknown line magic %" + name + ". Available line magics: "
                    + labMagics.lineNames().stream().map(n -> "%" + n).collect(Collectors.joining(", "))
                    + "; cell magics: " + labMagics.cellNames().stream().map(n -> "%%" + n).collect(Collectors.joining(", ")));
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    private Object applyCellMagic(String name, String rest, String body) throws CellError {
        try {
            Object r = magics.applyCellMagic(name, labMagics.argsFor(name, rest), body);
            return r == null ? NO_VALUE : r;
        } catch (UndefinedMagicException e) {
            throw CellError.usage("unknown cell magic %%" + name + ". Available cell magics: "
                    + labMagics.cellNames().stream().map(n -> "%%" + n).collect(Collectors.joining(", "))
                    + "; line magics: " + labMagics.lineNames().stream().map(n -> "%" + n).collect(Collectors.joining(", ")));
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    private static CellError asCellError(Exception e) {
        Throwable t = e;
        // the registry wraps what a magic throws
        while ((t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.lang.reflect.UndeclaredThrowableException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CellError ce) {
            return ce;
        }
        if (t instanceof MagicUsageException u) {
            return CellError.usage(u.getMessage());
        }
        return new CellError(t.getClass().getName(), String.valueOf(t.getMessage()),
                List.of(t.getClass().getName() + ": " + t.getMessage()));
    }

    /** Evaluates Java source (one or more snippets); returns the last snippet's value or {@link #NO_VALUE}. */
    Object runCode(JShell js, String code) throws CellError {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = code;
        Object value = NO_VALUE;
        while (!rest.isBlank()) {
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
            value = evalSnippet(js, src);
        }
        return value;
    }

    /** Evaluates exactly one snippet. */
    Object evalSnippet(JShell js, String src) throws CellError {
        if (interruptRequested) {
            throw interrupted(null);
        }
        LabExecutionControl.clearLastValue();
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
            throw interrupted(main != null ? main.exception() : null);
        }
        if (main == null) {
            return NO_VALUE;
        }
        Snippet sn = main.snippet();
        if (main.status() == Snippet.Status.REJECTED) {
            throw compileError(js, sn);
        }
        if (main.exception() != null) {
            throw runtimeError(js, main.exception());
        }
        if (main.status() == Snippet.Status.RECOVERABLE_DEFINED || main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
                String missing = js.unresolvedDependencies(ds).collect(Collectors.joining(", "));
                System.out.println("note: " + describe(sn) + " can be used once " + missing + " is declared");
            }
        }
        return switch (sn.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> LabExecutionControl.lastValue();
            default -> NO_VALUE;
        };
    }

    private static String describe(Snippet sn) {
        String kind = sn.kind().name().toLowerCase(Locale.ROOT).replace("_", " ");
        if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
            return kind + " " + ds.name();
        }
        return kind;
    }

    private CellError interrupted(JShellException cause) {
        String detail = "the cell was interrupted (kernel interrupt); its code was stopped";
        List<String> tb = new ArrayList<>();
        tb.add("Interrupted: " + detail);
        if (cause instanceof EvalException ee) {
            tb.add("  stopped in: " + ee.getExceptionClassName() + (ee.getMessage() != null ? ": " + ee.getMessage() : ""));
        }
        return new CellError("Interrupted", detail, tb);
    }

    private CellError compileError(JShell js, Snippet sn) {
        List<Diag> diags = js.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        String src = sn.source();
        List<String> tb = new ArrayList<>();
        String first = diags.isEmpty() ? "the snippet was rejected" : firstLine(diags.get(0).getMessage(Locale.ROOT));
        if (diags.isEmpty()) {
            tb.add("CompilationError: " + first);
            tb.add(src);
        }
        for (Diag d : diags) {
            tb.add("CompilationError: " + d.getMessage(Locale.ROOT));
            int pos = (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
            int end = (int) Math.max(pos, Math.min(src.length(), d.getEndPosition()));
            int lineStart = src.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) {
                lineEnd = src.length();
            }
            int lineNo = 1 + (int) src.substring(0, lineStart).chars().filter(ch -> ch == '\n').count();
            String prefix = String.format(Locale.ROOT, "%4d | ", lineNo);
            tb.add(prefix + src.substring(lineStart, lineEnd));
            int caretLen = Math.max(1, Math.min(end, lineEnd) - pos);
            tb.add(" ".repeat(prefix.length() - 2) + "| " + " ".repeat(pos - lineStart) + "^".repeat(caretLen));
        }
        return new CellError("CompilationError", first, tb);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private CellError runtimeError(JShell js, JShellException ex) {
        List<String> tb = new ArrayList<>();
        String ename;
        String evalue;
        if (ex instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
            evalue = ee.getMessage() == null ? "" : ee.getMessage();
        } else if (ex instanceof UnresolvedReferenceException ure) {
            ename = "UnresolvedReference";
            String missing = js.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", "));
            evalue = describe(ure.getSnippet()) + " cannot be used until " + missing + " is declared";
        } else {
            ename = ex.getClass().getName();
            evalue = String.valueOf(ex.getMessage());
        }
        appendTrace(js, tb, ex, "");
        return new CellError(ename, evalue, tb);
    }

    private void appendTrace(JShell js, List<String> tb, Throwable ex, String prefix) {
        String name = ex instanceof EvalException ee ? ee.getExceptionClassName()
                : ex instanceof UnresolvedReferenceException ? "UnresolvedReference" : ex.getClass().getName();
        String msg = ex instanceof UnresolvedReferenceException ure
                ? describe(ure.getSnippet()) + " cannot be used until "
                        + js.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", ")) + " is declared"
                : ex.getMessage();
        tb.add(prefix + name + (msg != null ? ": " + msg : ""));
        for (StackTraceElement f : ex.getStackTrace()) {
            if (isInternalFrame(f)) {
                continue;
            }
            tb.add("\tat " + frame(f));
        }
        Throwable cause = ex.getCause();
        if (cause != null && cause != ex) {
            appendTrace(js, tb, cause, "Caused by: ");
        }
    }

    static boolean isInternalFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("layerlab.kernel.")
                || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("REPL.$Cancel$") || (c.equals("java.lang.Thread") && f.getMethodName().equals("run"));
    }

    private static String frame(StackTraceElement f) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            String cls = f.getClassName();
            String method = f.getMethodName();
            String where = (cls.isEmpty() ? "" : cls + ".") + (method.isEmpty() ? "<cell>" : method);
            return where + "(cell snippet " + file + ", line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }

    // ------------------------------------------------------------------ interrupt

    /**
     * Stops the running cell: interrupts its threads (a sleep or an interruptible library loop
     * ends), then, while it still runs, asks JShell to stop it (Thread.stop on JDK 17, the stop
     * checks woven into cell code on newer JDKs) and interrupts again, every 200 ms.
     */
    @Override
    public void interrupt() {
        synchronized (this) {
            if (!evalRunning) {
                LOG.info("interrupt: no cell is running");
                return;
            }
            interruptRequested = true;
            if (stopper != null && stopper.isAlive()) {
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

    private static void interruptSnippetThreads() {
        Thread t = LabExecutionControl.snippetThread();
        if (t == null) {
            return;
        }
        ThreadGroup g = t.getThreadGroup();
        if (g == null) {
            t.interrupt();
            return;
        }
        Thread[] threads = new Thread[g.activeCount() + 8];
        int n = g.enumerate(threads);
        for (int i = 0; i < n; i++) {
            threads[i].interrupt();
        }
        t.interrupt();
    }

    // ------------------------------------------------------------------ display

    /** Publishes {@code value} as display_data; returns its display id. */
    String display(Object value, String id) {
        String displayId = id != null ? id : UUID.randomUUID().toString();
        DisplayData data = Renderers.render(getRenderer(), value);
        publishDisplay("display_data", data, displayId);
        return displayId;
    }

    void updateDisplay(String displayId, Object value) {
        publishDisplay("update_display_data", Renderers.render(getRenderer(), value), displayId);
    }

    private void publishDisplay(String type, DisplayData data, String displayId) {
        streams.flush();
        Wire.Message parent = streams.parent();
        JsonObject content = bundle(data);
        JsonObject tr = content.getAsJsonObject("transient");
        tr.addProperty("display_id", displayId);
        server.publish(type, parent == null ? null : parent.header(), content, null);
    }

    @Override
    public void display(DisplayData data) {
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        publishDisplay("display_data", data, id);
    }

    // ------------------------------------------------------------------ BaseKernel API

    @Override
    public DisplayData eval(String code) throws Exception {
        Object v = runCell(code);
        return v == NO_VALUE ? null : Renderers.render(getRenderer(), v);
    }

    /** {@code %classpath}: adds jars or folders to the compiler and the class loader. */
    void addToClasspath(List<Path> paths) throws CellError {
        JShell js = jshell();
        for (Path p : paths) {
            js.addToClasspath(p.toString());
        }
    }

    // ------------------------------------------------------------------ completion, inspection

    /** Start offset of the snippet containing {@code cursor} (cells hold several snippets). */
    private int snippetStart(SourceCodeAnalysis sca, String code, int cursor) {
        int start = 0;
        String rest = code.substring(0, cursor);
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            boolean complete = ci.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
                    || ci.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
            if (!complete || ci.remaining().isBlank()) {
                return start;
            }
            start += rest.length() - ci.remaining().length();
            rest = ci.remaining();
        }
    }

    /** Start offset of the current line when it is a line magic, else -1. */
    private static int magicLineStart(String code, int cursor) {
        int ls = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        if (cursor == 0) {
            ls = 0;
        }
        String line = code.substring(ls, cursor).stripLeading();
        return line.startsWith("%") ? ls : -1;
    }

    @Override
    public ReplacementOptions complete(String code, int cursor) throws Exception {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int ml = magicLineStart(code, cursor);
        if (ml >= 0) {
            String line = code.substring(ml, cursor).stripLeading();
            if (!line.contains(" ")) {
                String prefix = line.replaceFirst("^%%?", "");
                List<String> names = new ArrayList<>();
                boolean cell = line.startsWith("%%");
                for (String n : cell ? labMagics.cellNames() : labMagics.lineNames()) {
                    if (n.startsWith(prefix)) {
                        names.add(n);
                    }
                }
                return new ReplacementOptions(names, cursor - prefix.length(), cursor);
            }
            return null;
        }
        JShell js = jshell();
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        int start = snippetStart(sca, code, cursor);
        String src = code.substring(start);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = sca.completionSuggestions(src, cursor - start, anchor);
        Set<String> matches = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            String m = s.continuation();
            if (m.endsWith("()")) {
                m = m.substring(0, m.length() - 2);
            } else if (m.endsWith("(")) {
                m = m.substring(0, m.length() - 1);
            }
            matches.add(m);
        }
        return new ReplacementOptions(new ArrayList<>(matches), start + anchor[0], cursor);
    }

    private JsonObject completeReply(JsonObject c) {
        String code = c.has("code") ? c.get("code").getAsString() : "";
        int cursor = c.has("cursor_pos") ? c.get("cursor_pos").getAsInt() : code.length();
        JsonObject r = ok();
        JsonArray arr = new JsonArray();
        int s = cursor;
        int e = cursor;
        try {
            ReplacementOptions o = complete(code, cursor);
            if (o != null) {
                o.getReplacements().forEach(arr::add);
                s = o.getSourceStart();
                e = o.getSourceEnd();
            }
        } catch (Exception ex) {
            LOG.log(Level.WARNING, "completion failed", ex);
        }
        r.add("matches", arr);
        r.addProperty("cursor_start", s);
        r.addProperty("cursor_end", e);
        r.add("metadata", new JsonObject());
        return r;
    }

    @Override
    public DisplayData inspect(String code, int cursor, boolean extraDetail) throws Exception {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        // move to the end of the identifier under the cursor
        while (cursor < code.length() && Character.isJavaIdentifierPart(code.charAt(cursor))) {
            cursor++;
        }
        JShell js = jshell();
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        int start = snippetStart(sca, code, cursor);
        String src = code.substring(start);
        List<SourceCodeAnalysis.Documentation> docs = sca.documentation(src, cursor - start, true);
        if (docs.isEmpty()) {
            // JShell documents a method when the cursor is inside its argument list
            String withParen = code.substring(start, cursor) + "(";
            docs = sca.documentation(withParen, withParen.length(), true);
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append("\n\n").append(d.javadoc().strip());
            }
        }
        if (text.length() == 0) {
            int b = cursor;
            while (b > 0 && Character.isJavaIdentifierPart(code.charAt(b - 1))) {
                b--;
            }
            String ident = code.substring(b, cursor);
            for (VarSnippet v : js.variables().collect(Collectors.toList())) {
                if (v.name().equals(ident) && js.status(v).isActive()) {
                    text.append(v.typeName()).append(' ').append(v.name()).append(" = ").append(js.varValue(v));
                }
            }
        }
        return text.length() == 0 ? null : new DisplayData(text.toString());
    }

    private JsonObject inspectReply(JsonObject c) {
        String code = c.has("code") ? c.get("code").getAsString() : "";
        int cursor = c.has("cursor_pos") ? c.get("cursor_pos").getAsInt() : code.length();
        JsonObject r = ok();
        DisplayData d = null;
        try {
            d = inspect(code, cursor, bool(c, "detail_level", false));
        } catch (Exception ex) {
            LOG.log(Level.WARNING, "inspect failed", ex);
        }
        r.addProperty("found", d != null);
        JsonObject b = d == null ? null : bundle(d);
        r.add("data", b == null ? new JsonObject() : b.get("data"));
        r.add("metadata", new JsonObject());
        return r;
    }

    @Override
    public String isComplete(String code) {
        try {
            JShell js = jshell();
            SourceCodeAnalysis sca = js.sourceCodeAnalysis();
            String stripped = code.stripLeading();
            if (stripped.startsWith("%%")) {
                return IS_COMPLETE_YES;
            }
            StringBuilder java = new StringBuilder();
            for (String line : code.split("\n", -1)) {
                if (!line.stripLeading().startsWith("%")) {
                    java.append(line).append('\n');
                }
            }
            String rest = java.toString();
            while (true) {
                SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
                switch (ci.completeness()) {
                    case COMPLETE, COMPLETE_WITH_SEMI -> {
                        if (ci.remaining().isBlank()) {
                            return IS_COMPLETE_YES;
                        }
                        rest = ci.remaining();
                    }
                    case EMPTY -> {
                        return IS_COMPLETE_YES;
                    }
                    case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                        return indentFor(code);
                    }
                    default -> {
                        return IS_COMPLETE_BAD;
                    }
                }
            }
        } catch (CellError e) {
            return IS_COMPLETE_MAYBE;
        }
    }

    /** Indent for the next line: four spaces per unclosed brace or parenthesis (at least four). */
    static String indentFor(String code) {
        int depth = 0;
        for (char ch : code.toCharArray()) {
            if (ch == '{' || ch == '(' || ch == '[') {
                depth++;
            } else if ((ch == '}' || ch == ')' || ch == ']') && depth > 0) {
                depth--;
            }
        }
        return "    ".repeat(Math.max(1, depth));
    }

    private JsonObject isCompleteReply(JsonObject c) {
        String code = c.has("code") ? c.get("code").getAsString() : "";
        String s = isComplete(code);
        JsonObject r = new JsonObject();
        if (IS_COMPLETE_YES.equals(s)) {
            r.addProperty("status", "complete");
        } else if (IS_COMPLETE_BAD.equals(s)) {
            r.addProperty("status", "invalid");
        } else if (IS_COMPLETE_MAYBE.equals(s)) {
            r.addProperty("status", "unknown");
        } else {
            r.addProperty("status", "incomplete");
            r.addProperty("indent", s);
        }
        return r;
    }

    static List<Path> splitPaths(String s) {
        List<Path> out = new ArrayList<>();
        for (String p : s.split(File.pathSeparator)) {
            if (!p.isBlank()) {
                out.add(Paths.get(p));
            }
        }
        return out;
    }
}
