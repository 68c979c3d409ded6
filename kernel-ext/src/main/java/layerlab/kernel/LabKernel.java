package layerlab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import layerlab.kernel.exec.CellError;
import layerlab.kernel.exec.CellStreams;
import layerlab.kernel.exec.CellThreads;
import layerlab.kernel.exec.CellThreads.Cell;
import layerlab.kernel.exec.ExitGuard;
import layerlab.kernel.exec.Evaluator;
import layerlab.kernel.exec.Session;
import layerlab.kernel.wire.ConnectionInfo;
import layerlab.kernel.wire.Dispatcher;
import layerlab.kernel.wire.ExecuteRequest;
import layerlab.kernel.wire.KernelServer;
import layerlab.kernel.wire.Outcome;
import layerlab.kernel.wire.Replies;
import layerlab.kernel.wire.Wire;

/**
 * The layerlab Jupyter kernel: Java cells evaluated by JShell in this JVM.
 *
 * <p>Built on the base library's kernel API ({@link BaseKernel}: renderer registry, language
 * info), with this project's own protocol layer ({@code wire}: sockets, dispatch, replies),
 * evaluation ({@code exec}: JShell, streams, errors) and magics ({@code magic}). Start with
 * {@code java layerlab.kernel.LabKernel CONNECTION_FILE}; the kernelspec written by
 * {@code ./lab} does that.
 */
public final class LabKernel extends BaseKernel implements layerlab.kernel.wire.Kernel {
    static final Logger LOG = Logger.getLogger(LabKernel.class.getName());
    static final String VERSION = "0.1.0";

    private final KernelServer server;
    private final CellThreads threads = new CellThreads();
    private final CellStreams streams;
    private final Session session = new Session();
    private final Evaluator evaluator;
    private final CellRunner cells;
    private final CodeAssist assist;

    LabKernel(KernelServer server) {
        this.server = server;
        this.streams = new CellStreams(server, threads);
        this.evaluator = new Evaluator(threads, streams);
        Rendering.registerDefaults(getRenderer());
        this.cells = new CellRunner(session, evaluator, this);
        this.assist = new CodeAssist(session, cells.magics());
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
        if (!ExitGuard.install(kernel.streams.err()::println)) {
            LOG.warning("no exit guard (the kernelspec lacks -javaagent:layerlab-kernel.jar, or the agent failed):"
                    + " System.exit in a cell ends the kernel");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kernel::announceExit, "layerlab-exit-notice"));
        server.start(new Dispatcher(kernel, VERSION));
        LOG.info("layerlab kernel listening (" + info.transport() + "://" + info.ip() + ", shell " + info.shellPort()
                + "), Java " + Runtime.version());
        kernel.session.start(kernel.evaluator);
        server.awaitShutdown();
        LOG.info("layerlab kernel stopped");
        kernel.session.close();
        ExitGuard.allowExit();
        System.exit(0);
    }

    /**
     * A shutdown hook: when the process ends while a cell runs and the kernel did not decide it
     * (an exit the guard could not stop, or the process was terminated), the cell's output says
     * so before the kernel goes — never a silent death.
     */
    private void announceExit() {
        Cell cell = streams.cell();
        if (ExitGuard.kernelExiting() || cell == null) {
            return;
        }
        streams.flush();
        String what = "the kernel's process is ending while this cell runs (an exit the kernel could not stop,"
                + " or the process was terminated): every variable is lost; Jupyter starts the kernel again";
        JsonObject error = new JsonObject();
        error.addProperty("ename", "KernelExit");
        error.addProperty("evalue", what);
        JsonArray tb = new JsonArray();
        tb.add("KernelExit: " + what);
        error.add("traceback", tb);
        server.publish("error", cell.request().header(), error, null);
        try {
            Thread.sleep(300); // the socket's I/O thread sends it before the JVM halts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ kernel info

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".java",
                "java", "text/x-java", "script");
    }

    @Override
    public String getBanner() {
        return "layerlab " + VERSION + " — Java " + Runtime.version() + " (" + System.getProperty("java.vm.name")
                + ")\nCells are Java (JShell). Magics: %lsmagic; %whos lists the variables. Lab helpers: display(x), updateDisplay(id, x).";
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

    @Override
    public Outcome execute(ExecuteRequest request) {
        Cell cell = new Cell(request.executionCount(), request.message());
        threads.start(cell);
        streams.attach(cell, request.allowStdin());
        evaluator.startCell(request.executionCount());
        try {
            Object value = cells.runCell(request.code());
            streams.flush();
            boolean show = value != Evaluator.NO_VALUE && !request.silent();
            return new Outcome.Completed(show ? renderForCell(value) : null);
        } catch (CellError e) {
            streams.flush();
            return e.outcome();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "kernel failure in a cell", e);
            streams.flush();
            return new Outcome.Failed("KernelError", String.valueOf(e), List.of("KernelError: " + e));
        } finally {
            evaluator.endCell();
            streams.detach();
            threads.end();
        }
    }

    private DisplayData renderForCell(Object value) throws CellError {
        try {
            return Rendering.render(getRenderer(), value);
        } catch (RuntimeException e) {
            String what = "could not render a " + value.getClass().getName() + ": " + e;
            throw new CellError("RenderError", what, List.of("RenderError: " + what));
        }
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
        publishDisplay("display_data", Rendering.render(getRenderer(), value), displayId);
        return displayId;
    }

    void updateDisplay(String displayId, Object value) {
        publishDisplay("update_display_data", Rendering.render(getRenderer(), value), displayId);
    }

    private void publishDisplay(String type, DisplayData data, String displayId) {
        streams.flush();
        Cell to = streams.target(Thread.currentThread());
        JsonObject content = Replies.bundle(data);
        content.getAsJsonObject("transient").addProperty("display_id", displayId);
        server.publish(type, to == null ? null : to.request().header(), content, null);
    }

    @Override
    public void display(DisplayData data) {
        publishDisplay("display_data", data, data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString());
    }

    // ------------------------------------------------------------------ BaseKernel API

    @Override
    public DisplayData eval(String code) throws Exception {
        evaluator.startCell();
        Object v;
        try {
            v = cells.runCell(code);
        } finally {
            evaluator.endCell();
        }
        return v == Evaluator.NO_VALUE ? null : Rendering.render(getRenderer(), v);
    }

    @Override
    public ReplacementOptions complete(String code, int cursor) throws Exception {
        return assist.complete(code, cursor);
    }

    @Override
    public DisplayData inspect(String code, int cursor, int detailLevel) throws Exception {
        return assist.inspect(code, cursor, detailLevel);
    }

    @Override
    public String isComplete(String code) {
        return assist.isComplete(code);
    }
}
