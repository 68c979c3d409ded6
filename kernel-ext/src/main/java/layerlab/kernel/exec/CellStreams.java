package layerlab.kernel.exec;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import layerlab.kernel.wire.KernelServer;
import layerlab.kernel.wire.Wire;

/**
 * The process's {@code System.out}, {@code System.err} and {@code System.in} while the kernel
 * runs: what a cell prints goes to the notebook as {@code stream} messages.
 *
 * <p>Output is buffered and sent by a flusher thread every {@value #FLUSH_MS} ms (and at the end
 * of every cell and before every display), so a line printed each second shows up each second,
 * and a loop that prints a million lines sends a few hundred messages, not a million.
 */
public final class CellStreams {
    static final long FLUSH_MS = 50;

    private final KernelServer server;
    private final Buffer out = new Buffer("stdout");
    private final Buffer err = new Buffer("stderr");
    private volatile Wire.Message parent;
    private volatile boolean allowStdin;

    public CellStreams(KernelServer server) {
        this.server = server;
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

    public void install() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new StdinStream());
    }

    /** The request whose output this is (the execute request of the running cell). */
    public void attach(Wire.Message request, boolean allowStdin) {
        flush();
        this.parent = request;
        this.allowStdin = allowStdin;
    }

    public Wire.Message parent() {
        return parent;
    }

    public void flush() {
        System.out.flush();
        System.err.flush();
        out.send();
        err.send();
    }

    private final class Buffer extends OutputStream {
        private final String name;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Buffer(String name) {
            this.name = name;
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        /** Sends what is buffered, up to the last complete UTF-8 character. */
        void send() {
            String text;
            synchronized (this) {
                if (bytes.size() == 0) {
                    return;
                }
                byte[] all = bytes.toByteArray();
                int cut = completeUtf8(all);
                text = new String(all, 0, cut, StandardCharsets.UTF_8);
                bytes.reset();
                bytes.write(all, cut, all.length - cut);
            }
            Wire.Message p = parent;
            if (text.isEmpty() || p == null) {
                return;
            }
            JsonObject content = new JsonObject();
            content.addProperty("name", name);
            content.addProperty("text", text);
            server.publish("stream", p.header(), content, null);
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

    /** {@code System.in}: asks the front end for a line when the cell reads (if it allows stdin). */
    private final class StdinStream extends InputStream {
        private byte[] line = new byte[0];
        private int pos;

        @Override
        public synchronized int read() throws IOException {
            if (pos >= line.length && !fill()) {
                return -1;
            }
            return line[pos++] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= line.length && !fill()) {
                return -1;
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return line.length - pos;
        }

        private boolean fill() {
            Wire.Message p = parent;
            if (!allowStdin || p == null) {
                return false;
            }
            flush();
            String value = server.input(p, "", false);
            if (value == null) {
                return false;
            }
            line = (value + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }
    }
}
