package layerlab.kernel.wire;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The kernel's five sockets and the threads that serve them.
 *
 * <p>Replaces the base library's {@code JupyterConnection}/{@code ShellChannel}: each channel
 * thread blocks in a ZMQ poll (no polling sleep, so a reply leaves as soon as it is ready), a
 * message that fails verification is logged and dropped and the thread goes on, and every
 * request is wrapped in busy/idle status messages on IOPub. Shell and control run on their own
 * threads, so an interrupt or kernel_info on control is answered while a cell runs.
 */
public final class KernelServer {
    private static final Logger LOG = Logger.getLogger(KernelServer.class.getName());

    /** What the kernel does with a request; runs on the channel's thread. */
    public interface Handler {
        void handle(Request request) throws Exception;
    }

    public enum Channel { SHELL, CONTROL }

    /** One request being served, with the means to answer it. */
    public final class Request {
        public final Channel channel;
        public final Wire.Message message;
        private final ZMQ.Socket socket;
        private boolean abortQueued;
        private final List<Request> queuedAtFailure = new ArrayList<>();

        Request(Channel channel, Wire.Message message, ZMQ.Socket socket) {
            this.channel = channel;
            this.message = message;
            this.socket = socket;
        }

        /** Sends {@code type} with {@code content} back on the request's channel. */
        public void reply(String type, JsonObject content) {
            send(socket, wire.encode(message.identities(), type, message.header(), null, content));
        }

        /** Publishes on IOPub with this request as the parent. */
        public void publish(String type, JsonObject content) {
            KernelServer.this.publish(type, message.header(), content, null);
        }

        public KernelServer server() {
            return KernelServer.this;
        }

        /**
         * After this request, answer the execute requests already waiting on this channel with
         * status "aborted" instead of running them (a failed cell with {@code stop_on_error}).
         * Call it before the reply: the requests are taken off the socket now, so what a client
         * sends after it has seen the reply is never among them. Called on the channel's thread.
         */
        public void abortQueuedExecutes() {
            abortQueued = true;
            ZMQ.Poller poller = context.createPoller(1);
            poller.register(socket, ZMQ.Poller.POLLIN);
            try {
                while (poller.poll(0) > 0 && poller.pollin(0)) {
                    Request queued = receive(channel, socket);
                    if (queued != null) {
                        queuedAtFailure.add(queued);
                    }
                }
            } finally {
                poller.close();
            }
        }
    }

    private final Wire wire;
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket heartbeat;
    private final Object iopubLock = new Object();
    private final Object stdinLock = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Handler handler;
    private final List<Thread> threads = new ArrayList<>();
    private volatile long rejected;

    public KernelServer(ConnectionInfo info, Wire wire) {
        this.wire = wire;
        this.shell = bind(SocketType.ROUTER, info.address(info.shellPort()));
        this.control = bind(SocketType.ROUTER, info.address(info.controlPort()));
        this.iopub = bind(SocketType.PUB, info.address(info.iopubPort()));
        this.stdin = bind(SocketType.ROUTER, info.address(info.stdinPort()));
        this.heartbeat = bind(SocketType.REP, info.address(info.hbPort()));
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(1000);
        s.bind(address);
        return s;
    }

    public Wire wire() {
        return wire;
    }

    /** How many messages were rejected (bad signature, framing, JSON). */
    public long rejectedCount() {
        return rejected;
    }

    /** Starts serving; requests go to {@code handler}. */
    public void start(Handler handler) {
        this.handler = handler;
        threads.add(thread("layerlab-heartbeat", this::heartbeatLoop));
        threads.add(thread("layerlab-control", () -> serve(Channel.CONTROL, control)));
        threads.add(thread("layerlab-shell", () -> serve(Channel.SHELL, shell)));
        threads.forEach(Thread::start);
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private void heartbeatLoop() {
        ZMQ.Poller poller = context.createPoller(1);
        poller.register(heartbeat, ZMQ.Poller.POLLIN);
        while (running) {
            if (poller.poll(500) > 0 && poller.pollin(0)) {
                byte[] ping = heartbeat.recv(0);
                while (heartbeat.hasReceiveMore()) {
                    heartbeat.recv(0);
                }
                if (ping != null) {
                    heartbeat.send(ping, 0);
                }
            }
        }
        poller.close();
    }

    private void serve(Channel channel, ZMQ.Socket socket) {
        ZMQ.Poller poller = context.createPoller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        while (running) {
            int n;
            try {
                n = poller.poll(500);
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.log(Level.WARNING, channel + ": poll failed", e);
                continue;
            }
            if (n <= 0 || !poller.pollin(0)) {
                continue;
            }
            Request request = receive(channel, socket);
            if (request != null && serveOne(request, false)) {
                // stop_on_error: what was queued when the cell failed (taken before its reply went out)
                for (Request queued : request.queuedAtFailure) {
                    serveOne(queued, true);
                }
            }
        }
        poller.close();
    }

    private Request receive(Channel channel, ZMQ.Socket socket) {
        List<byte[]> frames = receiveAll(socket);
        try {
            return new Request(channel, wire.decode(frames), socket);
        } catch (Wire.BadMessageException e) {
            rejected++;
            LOG.warning(channel + ": rejected a message: " + e.getMessage());
            return null;
        }
    }

    /** Handles one request between busy and idle; returns whether queued executes are to be aborted. */
    private boolean serveOne(Request request, boolean aborting) {
        Wire.Message message = request.message;
        publish("status", message.header(), status("busy"), null);
        try {
            LOG.fine(() -> request.channel + ": " + message.type());
            if (aborting && "execute_request".equals(message.type())) {
                JsonObject aborted = new JsonObject();
                aborted.addProperty("status", "aborted");
                aborted.add("execution_count", com.google.gson.JsonNull.INSTANCE);
                request.reply("execute_reply", aborted);
            } else {
                handler.handle(request);
            }
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, request.channel + ": failed to handle " + message.type(), e);
        } finally {
            publish("status", message.header(), status("idle"), null);
        }
        return request.abortQueued;
    }

    private static JsonObject status(String state) {
        JsonObject o = new JsonObject();
        o.addProperty("execution_state", state);
        return o;
    }

    private static List<byte[]> receiveAll(ZMQ.Socket socket) {
        List<byte[]> frames = new ArrayList<>();
        do {
            frames.add(socket.recv(0));
        } while (socket.hasReceiveMore());
        return frames;
    }

    private static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** Publishes one message on IOPub (any thread). */
    public void publish(String type, JsonObject parentHeader, JsonObject content, JsonObject metadata) {
        List<byte[]> frames = wire.encode(List.of(type.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                type, parentHeader, metadata, content);
        synchronized (iopubLock) {
            if (running) {
                send(iopub, frames);
            }
        }
    }

    /**
     * Asks the front end for a line of input (stdin channel), on behalf of {@code request}.
     * Blocks until the answer comes; returns null when interrupted or shut down.
     */
    public String input(Wire.Message request, String prompt, boolean password) {
        JsonObject content = new JsonObject();
        content.addProperty("prompt", prompt);
        content.addProperty("password", password);
        synchronized (stdinLock) {
            // drop stale replies
            while (stdin.recv(ZMQ.DONTWAIT) != null) {
                while (stdin.hasReceiveMore()) {
                    stdin.recv(0);
                }
            }
            send(stdin, wire.encode(request.identities(), "input_request", request.header(), null, content));
            ZMQ.Poller poller = context.createPoller(1);
            try {
                poller.register(stdin, ZMQ.Poller.POLLIN);
                while (running && !Thread.currentThread().isInterrupted()) {
                    if (poller.poll(200) > 0 && poller.pollin(0)) {
                        try {
                            Wire.Message reply = wire.decode(receiveAll(stdin));
                            if ("input_reply".equals(reply.type())) {
                                return reply.content().has("value") ? reply.content().get("value").getAsString() : "";
                            }
                        } catch (Wire.BadMessageException e) {
                            rejected++;
                            LOG.warning("stdin: rejected a message: " + e.getMessage());
                        }
                    }
                }
                return null;
            } finally {
                poller.close();
            }
        }
    }

    /** Stops the channel threads and closes the sockets. */
    public void shutdown() {
        running = false;
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        synchronized (iopubLock) {
            context.close();
        }
        stopped.countDown();
    }

    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }
}
