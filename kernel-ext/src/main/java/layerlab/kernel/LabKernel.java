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
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
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
            "import layerlab.kernel.view.BnMonitor;",
            "import layerlab.kernel.view.Progress;",
            "import layerlab.kernel.view.Scale;",
            "import static layerlab.kernel.Lab.*;",
            "import static layerlab.kernel.view.Views.*;");

    private final KernelServer server;
    private final CellStreams streams;
    private final CompletableFuture<JShell> ready = new CompletableFuture<>();
    private final Magics magics = new Magics();
    private final LabMagics labMagics;
    private final List<String> startImportsDone = new ArrayList<>();
    private final Evaluator evaluator = new Evaluator();
    private final CodeAssist assist;
    private volatile JShell jshell;

    LabKernel(KernelServer server) {
        this.server = server;
        this.streams = new CellStreams(server);
        Renderers.registerDefaults(getRenderer());
        this.labMagics = new LabMagics(this);
        labMagics.registerAll(magics);
        this.assist = new CodeAssist(this, labMagics);
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
            evaluator.setJShell(js);
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
        evaluator.startCell();
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
            if (bool(c, "stop_on_error", true)) {
                request.abortQueuedExecutes();
            }
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "kernel failure in a cell", e);
            streams.flush();
            CellError ke = new CellError("KernelError", String.valueOf(e), List.of("KernelError: " + e));
            reply = errorContent(ke);
            reply.addProperty("status", "error");
            request.publish("error", errorContent(ke));
        } finally {
            evaluator.endCell();
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
        int chunkLine = 1; // the cell line where the current chunk of Java starts
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].stripLeading();
            if (t.startsWith("%") && !t.startsWith("%%") && t.length() > 1 && Character.isLetter(t.charAt(1))) {
                if (!chunk.toString().isBlank()) {
                    last = evaluator.runCode(js, chunk.toString(), chunkLine);
                }
                chunk.setLength(0);
                chunkLine = i + 2;
                last = applyLineMagic(t.substring(1).strip());
            } else {
                chunk.append(lines[i]).append('\n');
            }
        }
        if (!chunk.toString().isBlank()) {
            last = evaluator.runCode(js, chunk.toString(), chunkLine);
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

    // ------------------------------------------------------------------ interrupt

    /** Evaluates one snippet (used by magics that compile code, such as %timeit). */
    Object evalSnippet(JShell js, String src) throws CellError {
        return evaluator.evalSnippet(js, src);
    }

    /** Stops the running cell (interrupt_request). */
    @Override
    public void interrupt() {
        evaluator.interrupt();
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
        evaluator.startCell();
        Object v;
        try {
            v = runCell(code);
        } finally {
            evaluator.endCell();
        }
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

    @Override
    public ReplacementOptions complete(String code, int cursor) throws Exception {
        return assist.complete(code, cursor);
    }

    @Override
    public DisplayData inspect(String code, int cursor, boolean extraDetail) throws Exception {
        return assist.inspect(code, cursor, extraDetail);
    }

    @Override
    public String isComplete(String code) {
        return assist.isComplete(code);
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
}
