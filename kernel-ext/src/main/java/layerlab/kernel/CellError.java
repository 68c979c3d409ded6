package layerlab.kernel;

import java.util.List;

/** A cell that ended in an error: what the notebook shows as an {@code error} output. */
final class CellError extends Exception {
    private static final long serialVersionUID = 1L;

    final String ename;
    final String evalue;
    final transient List<String> traceback;

    CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = traceback;
    }

    /** A magic's misuse: the message says what was wrong and how to call it. */
    static CellError usage(String message) {
        return new CellError("UsageError", message, List.of("UsageError: " + message));
    }
}
