package layerlab.kernel.exec;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import layerlab.kernel.exec.CellThreads.Cell;

/**
 * {@code System.in}: when a cell reads, the front end is asked for a line (an input_request on
 * the stdin channel), if the cell's request allows it; otherwise, and between cells, end of input.
 */
final class CellInput extends InputStream {
    private final CellStreams streams;
    private byte[] line = new byte[0];
    private int pos;

    CellInput(CellStreams streams) {
        this.streams = streams;
    }

    @Override
    public synchronized int read() {
        if (pos >= line.length && !fill()) {
            return -1;
        }
        return line[pos++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
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
        Cell cell = streams.cell();
        if (cell == null || !streams.allowStdin()) {
            return false;
        }
        streams.flush(); // the prompt printed before the read shows before the input box
        String value = streams.server().input(cell.request(), "", false);
        if (value == null) {
            return false;
        }
        line = (value + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }
}
