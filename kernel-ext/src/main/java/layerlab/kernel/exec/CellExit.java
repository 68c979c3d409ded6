package layerlab.kernel.exec;

/**
 * Thrown where a cell called {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}:
 * the kernel refused to end, the cell stops there, its variables stay. An {@link Error}, so that
 * a {@code catch (Exception e)} around the exit does not swallow it and run on as if it had
 * returned.
 */
public final class CellExit extends Error {
    private static final long serialVersionUID = 1L;

    /** The exception class name JShell reports for it. */
    public static final String CLASS_NAME = CellExit.class.getName();

    CellExit(String call) {
        super(call + " was called: the kernel stopped the cell there and kept running, with every variable"
                + " (to end a cell early, return or throw; to restart the kernel, use Kernel > Restart)");
    }
}
