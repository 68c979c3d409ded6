package layerlab.nn;

/**
 * What the configs of MaxPool and AvgPool share: their checks and their description. The windows
 * themselves are {@link layerlab.backend.PoolWindows}. Package-private; the layers are the API.
 */
final class Pooling {
    private Pooling() {}

    /** "MaxPool(kernel=3, stride=2, padding=1, ceilMode=true)": defaults are left out. */
    static String describe(String name, int kernel, int stride, int padding, boolean ceilMode, String extra) {
        return name + "(kernel=" + kernel + ", stride=" + stride
                + (padding != 0 ? ", padding=" + padding : "")
                + (ceilMode ? ", ceilMode=true" : "") + extra + ")";
    }

    /** kernel, stride ≥ 1; 0 ≤ padding ≤ kernel/2. */
    static void checkConfig(String layer, int kernel, int stride, int padding) {
        Layers.require(layer, kernel >= 1, "expected kernel >= 1, got " + kernel);
        Layers.require(layer, stride >= 1, "expected stride >= 1, got " + stride);
        Layers.require(layer, padding >= 0, "expected padding >= 0, got " + padding);
        // NOTE: PyTorch's rule ("pad should be at most half of kernel size"): with more padding a
        // window could lie entirely in the padding and pool nothing.
        Layers.require(layer, padding <= kernel / 2, "expected padding <= kernel/2 = " + kernel / 2
                + " (PyTorch's rule: every window must overlap the input), got " + padding);
    }
}
