package layerlab.backend;

/** What a pooling window computes: its maximum, or its mean with one of PyTorch's two divisors. */
public enum PoolMode {
    /** The maximum; padding acts as −∞; the winner's index is kept for backward. */
    MAX,
    /** The mean, divided by the window's size counting padded positions (count_include_pad=True). */
    AVG_INCLUDE_PAD,
    /** The mean, divided by the number of input elements under the window (count_include_pad=False). */
    AVG_EXCLUDE_PAD
}
