package layerlab.kernel.magic;

/** A magic called with bad arguments; the message says what is wrong and shows the usage. */
public final class MagicUsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MagicUsageException(String message) {
        super(message);
    }
}
