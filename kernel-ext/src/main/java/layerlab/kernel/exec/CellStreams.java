package layerlab.kernel.exec;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import layerlab.kernel.exec.CellThreads.Cell;
import layerlab.kernel.wire.KernelServer;

/**
 * The process's {@code System.out}, {@code System.err} and {@code System.in} while the kernel
 * runs: what a cell prints goes to the notebook as {@code stream} messages.
 *
 * <p>The streams are the kernel's own: they are put back before every cell (a cell may have
 * replaced or nulled them), and closing them only flushes. The kernel itself never writes
 * through {@code System.out}, so whatever a cell did to it, the cell still gets its reply.
 *
 * <p>Output is buffered and sent by a flusher thread every {@value #FLUSH_MS} ms, and at the end
 * of every cell and before every display: a line printed each second shows up each second, and a
 * loop that prints a million lines sends a few hundred messages. Sending is serialized, so
 * everything a cell printed has left when {@link #flush()} returns — before its reply and its
 * idle status. Large output goes out in messages of at most {@value #CHUNK_CHARS} characters.
 *
 * <p>What a thread prints goes to the cell that started it ({@link CellThreads}). While that
 * cell runs it is the cell's output; after it, each line is marked
 * {@code [thread "name", In [n]]} and sent with that cell as its parent — never mixed into the
 * cell running then.
 */
public final class CellStreams {
    static final long FLUSH_MS = 50;
    static final int CHUNK_CHARS = 1 << 20;

    private final KernelServer server;
    private final CellThreads threads;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Object sendLock = new Object();
    /** Output waiting to be sent, by (parent message id, stream name), in the order it came. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private volatile Cell cell;
    private volatile Cell last;
    private volatile boolean allowStdin;

    public CellStreams(KernelServer server, CellThreads threads) {
        this.server = server;
        this.threads = threads;
        this.out = new KernelPrintStream(new Router("stdout"));
        this.err = new KernelPrintStream(new Router("stderr"));
        this.in = new CellInput(this);
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(FLUSH_MS);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "layerlab-output-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Makes the kernel's streams the process's {@code System.out}, {@code err} and {@code in}. */
    public void install() {
        System.setOut(out);
        System.setErr(err);
        System.setIn(in);
    }

    /** A cell starts: its output goes to its request; the streams are put back in place. */
    public void attach(Cell cell, boolean allowStdin) {
        flush();
        this.cell = cell;
        this.last = cell;
        this.allowStdin = allowStdin;
        install();
    }

    /** The cell ended: what its threads print from now on is background output. */
    public void detach() {
        flush();
        this.cell = null;
    }

    /** The running cell, or null. */
    public Cell cell() {
        return cell;
    }

    /**
     * The cell whose output {@code t}'s output is: the cell that started it, else the running
     * cell, else the last one (null before the first cell).
     */
    public Cell target(Thread t) {
        Cell origin = threads.origin(t);
        if (origin != null) {
            return origin;
        }
        Cell running = cell;
        return running != null ? running : last;
    }

    boolean allowStdin() {
        return allowStdin;
    }

    KernelServer server() {
        return server;
    }

    /** The kernel's own stdout (for its notes), whatever {@code System.out} is now. */
    public PrintStream out() {
        return out;
    }

    /** The kernel's own stderr, whatever {@code System.err} is now. */
    public PrintStream err() {
        return err;
    }

    /**
     * Before each snippet: a stream a cell set to null is the kernel's again. Nothing can use a
     * null stream, and the compiler of the next snippet writes to {@code System.err}.
     */
    public void repairNulls() {
        if (System.out == null) {
            System.setOut(out);
        }
        if (System.err == null) {
            System.setErr(err);
        }
        if (System.in == null) {
            System.setIn(in);
        }
    }

    /** Sends everything buffered; returns when it has been handed to the socket. */
    public void flush() {
        synchronized (sendLock) {
            List<Text> ready = new ArrayList<>();
            synchronized (pending) {
                List<Pending> all = new ArrayList<>(pending.values());
                pending.clear();
                for (Pending p : all) {
                    byte[] bytes = p.bytes.toByteArray();
                    int cut = completeUtf8(bytes);
                    if (cut > 0) {
                        ready.add(new Text(p.parent, p.name, new String(bytes, 0, cut, StandardCharsets.UTF_8)));
                    }
                    if (cut < bytes.length) { // an incomplete character waits for its last bytes
                        slot(p.parent, p.name).bytes.write(bytes, cut, bytes.length - cut);
                    }
                }
            }
            for (Text t : ready) {
                t.send(server);
            }
        }
    }

    /** One stream's bytes for one parent, as they come. */
    private record Pending(Cell parent, String name, ByteArrayOutputStream bytes) {}

    /** Text ready to go: one stream message, or several for large text. */
    private record Text(Cell parent, String name, String text) {
        void send(KernelServer server) {
            for (int from = 0; from < text.length(); ) {
                int to = Math.min(text.length(), from + CHUNK_CHARS);
                if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
                    to--; // never split a surrogate pair
                }
                JsonObject content = new JsonObject();
                content.addProperty("name", name);
                content.addProperty("text", text.substring(from, to));
                server.publish("stream", parent.request().header(), content, null);
                from = to;
            }
        }
    }

    /** The pending bytes of {@code name} for {@code parent} (call holding the {@code pending} lock). */
    private Pending slot(Cell parent, String name) {
        return pending.computeIfAbsent(parent.request().id() + "/" + name, k -> new Pending(parent, name, new ByteArrayOutputStream()));
    }

    /** Where one stream's bytes go: to the running cell, or marked to the cell that started the thread. */
    private final class Router extends OutputStream {
        private final String name;
        /** Per thread: whether its next background byte starts a line (and so gets the mark). */
        private final ThreadLocal<boolean[]> lineStart = ThreadLocal.withInitial(() -> new boolean[] {true});

        Router(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Thread me = Thread.currentThread();
            Cell running = cell;
            Cell origin = threads.origin(me);
            if (running != null && (origin == null || origin.equals(running))) {
                synchronized (pending) {
                    slot(running, name).bytes.write(b, off, len);
                }
                return;
            }
            Cell to = origin != null ? origin : last;
            if (to == null) {
                return; // before the first cell: nobody to show it to
            }
            byte[] mark = ("[thread \"" + me.getName() + "\"" + (origin != null ? ", " + origin.label() : "") + "] ")
                    .getBytes(StandardCharsets.UTF_8);
            boolean[] start = lineStart.get();
            synchronized (pending) {
                ByteArrayOutputStream dst = slot(to, name).bytes;
                for (int i = off; i < off + len; i++) {
                    if (start[0]) {
                        dst.write(mark, 0, mark.length);
                    }
                    dst.write(b[i]);
                    start[0] = b[i] == '\n';
                }
            }
        }
    }

    /** Closing the kernel's stream only flushes it: a cell that closes System.out loses nothing. */
    private static final class KernelPrintStream extends PrintStream {
        KernelPrintStream(OutputStream target) {
            super(target, true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** Length of the longest prefix of {@code b} that does not end inside a UTF-8 sequence. */
    public static int completeUtf8(byte[] b) {
        int n = b.length;
        int i = n - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0) {
            return n;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return (n - i) < need ? i : n;
    }
}
