package layerlab.kernel.exec;

import java.util.List;
import layerlab.kernel.wire.Outcome;

/** A cell that ended in an error: what the notebook shows as an {@code error} output. */
public final class CellError extends Exception {
    private static final long serialVersionUID = 1L;

    public final String ename;
    public final String evalue;
    public final transient List<String> traceback;

    public CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = traceback;
    }

    /** A magic's misuse: the message says what was wrong and how to call it. */
    public static CellError usage(String message) {
        return new CellError("UsageError", message, List.of("UsageError: " + message));
    }

    /** The error as the protocol layer sends it. */
    public Outcome.Failed outcome() {
        return new Outcome.Failed(ename, evalue, traceback);
    }
}
