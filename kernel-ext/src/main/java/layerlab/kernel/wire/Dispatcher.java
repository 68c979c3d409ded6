package layerlab.kernel.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Message dispatch: each request type to the {@link Kernel} call that answers it, and the
 * reply built from what the call returns. Runs on the channel threads of {@link KernelServer}
 * (control and shell), one request at a time per channel.
 *
 * <p>An execute request gets its reply whatever the cell did: a failure inside the kernel
 * becomes a {@code KernelError} reply rather than no reply at all.
 */
public final class Dispatcher implements KernelServer.Handler {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final Kernel kernel;
    private final String implementationVersion;
    private final AtomicInteger executionCount = new AtomicInteger();

    public Dispatcher(Kernel kernel, String implementationVersion) {
        this.kernel = kernel;
        this.implementationVersion = implementationVersion;
    }

    @Override
    public void handle(KernelServer.Request request) {
        Wire.Message m = request.message;
        JsonObject c = m.content();
        switch (m.type()) {
            case "kernel_info_request" -> request.reply("kernel_info_reply", Replies.kernelInfo(kernel, implementationVersion));
            case "execute_request" -> execute(request);
            case "complete_request" -> request.reply("complete_reply", complete(c));
            case "inspect_request" -> request.reply("inspect_reply", inspect(c));
            case "is_complete_request" -> request.reply("is_complete_reply", Replies.isComplete(kernel.isComplete(string(c, "code"))));
            case "history_request" -> request.reply("history_reply", with("history", new JsonArray()));
            case "comm_info_request" -> request.reply("comm_info_reply", with("comms", new JsonObject()));
            case "interrupt_request" -> {
                kernel.interrupt();
                request.reply("interrupt_reply", Replies.ok());
            }
            case "shutdown_request" -> shutdown(request);
            case "comm_open", "comm_msg", "comm_close" -> LOG.fine("ignored " + m.type());
            default -> LOG.warning("unhandled message type " + m.type() + " on " + request.channel);
        }
    }

    // ------------------------------------------------------------------ execute

    private void execute(KernelServer.Request request) {
        JsonObject c = request.message.content();
        String code = string(c, "code");
        boolean silent = bool(c, "silent", false);
        boolean storeHistory = bool(c, "store_history", !silent);
        int count = storeHistory ? executionCount.incrementAndGet() : executionCount.get();
        if (!silent) {
            JsonObject in = new JsonObject();
            in.addProperty("code", code);
            in.addProperty("execution_count", count);
            request.publish("execute_input", in);
        }
        Outcome outcome = run(new ExecuteRequest(request.message, code, silent, bool(c, "allow_stdin", true), count));
        JsonObject reply;
        if (outcome instanceof Outcome.Failed f) {
            if (!silent) {
                request.publish("error", Replies.error(f));
            }
            reply = Replies.error(f);
            reply.addProperty("status", "error");
            if (bool(c, "stop_on_error", true)) {
                request.abortQueuedExecutes();
            }
        } else {
            DisplayData value = ((Outcome.Completed) outcome).value();
            if (value != null && !silent) {
                JsonObject result = Replies.bundle(value);
                result.remove("transient");
                result.addProperty("execution_count", count);
                request.publish("execute_result", result);
            }
            reply = Replies.ok();
        }
        reply.addProperty("execution_count", count);
        reply.add("user_expressions", new JsonObject());
        reply.add("payload", new JsonArray());
        request.reply("execute_reply", reply);
    }

    /** The kernel's outcome; a failure of the kernel itself is an error outcome too. */
    private Outcome run(ExecuteRequest request) {
        try {
            return kernel.execute(request);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "kernel failure in a cell", e);
            return new Outcome.Failed("KernelError", String.valueOf(e), List.of("KernelError: " + e));
        }
    }

    // ------------------------------------------------------------------ completion, inspection

    private JsonObject complete(JsonObject c) {
        String code = string(c, "code");
        int cursor = c.has("cursor_pos") ? c.get("cursor_pos").getAsInt() : code.length();
        ReplacementOptions options = null;
        try {
            options = kernel.complete(code, cursor);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "completion failed", e);
        }
        return Replies.complete(options, cursor);
    }

    private JsonObject inspect(JsonObject c) {
        String code = string(c, "code");
        int cursor = c.has("cursor_pos") ? c.get("cursor_pos").getAsInt() : code.length();
        DisplayData found = null;
        try {
            found = kernel.inspect(code, cursor, detailLevel(c));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "inspect failed", e);
        }
        return Replies.inspect(found);
    }

    // ------------------------------------------------------------------ shutdown

    private static void shutdown(KernelServer.Request request) {
        JsonObject reply = Replies.ok();
        reply.addProperty("restart", bool(request.message.content(), "restart", false));
        request.reply("shutdown_reply", reply);
        // not on this thread: shutdown joins the channel threads, this one among them
        Thread t = new Thread(request.server()::shutdown, "layerlab-shutdown");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ helpers

    private static JsonObject with(String name, JsonElement value) {
        JsonObject o = Replies.ok();
        o.add(name, value);
        return o;
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    /** inspect's detail_level: 0 or 1 (a number in the protocol; a boolean from old clients). */
    private static int detailLevel(JsonObject o) {
        JsonElement e = o.get("detail_level");
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            return 0;
        }
        return e.getAsJsonPrimitive().isBoolean() ? (e.getAsBoolean() ? 1 : 0) : Math.max(0, e.getAsInt());
    }

    private static boolean bool(JsonObject o, String name, boolean fallback) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }
}
