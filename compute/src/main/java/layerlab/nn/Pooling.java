package layerlab.nn;

import java.util.Arrays;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.PoolKernels;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * What MaxPool, AvgPool and GlobalAvgPool share: config checks, output sizes and the windows
 * of {@link PoolKernels#windows} for an input shape. Package-private; the layers are the API.
 */
final class Pooling {
    private Pooling() {}

    static final String LAYOUT = "4 (N,C,H,W) or 5 (N,C,T,H,W)";

    /**
     * Where the windows of one forward lie. x: (planes = N·C, inT, inH, inW) with inT = 1 for
     * rank 4; win*: (out, 3) tables of {@link PoolKernels#windows}.
     */
    record Geometry(int[] inShape, int[] outShape, int planes, int inT, int inH, int inW,
                    int[] winT, int[] winH, int[] winW) {}

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

    /** dOut has the shape forward returned (same message as {@link Layers#requireSameShape}). */
    static void checkDOut(Object layer, int[] expected, Tensor dOut) {
        if (!Arrays.equals(expected, dOut.shape())) {
            throw new IllegalArgumentException(layer + ": expected dOut of shape " + Shapes.str(expected)
                    + ", got shape " + Shapes.str(dOut.shape()));
        }
    }

    static void checkRank(Object layer, int[] shape) {
        if (shape.length != 4 && shape.length != 5) {
            throw new IllegalArgumentException(layer + ": expected rank " + LAYOUT + ", got shape " + Shapes.str(shape));
        }
    }

    /** Windows of a cubic kernel over the trailing 2 (rank 4) or 3 (rank 5) dimensions. */
    static Geometry windows(Object layer, int[] shape, int kernel, int stride, int padding, boolean ceilMode) {
        checkRank(layer, shape);
        int r = shape.length;
        int[] out = shape.clone();
        for (int d = 2; d < r; d++) {
            out[d] = PoolKernels.outputSize(shape[d], kernel, stride, padding, ceilMode);
        }
        for (int d = 2; d < r; d++) {
            if (out[d] < 1) {
                throw new IllegalArgumentException(layer + ": expected an output size >= 1 along every spatial"
                        + " dimension (" + (ceilMode ? "ceil" : "floor") + "((size + 2·padding − kernel) / stride) + 1),"
                        + " got input shape " + Shapes.str(shape) + " → output shape " + Shapes.str(out));
            }
        }
        int t = r == 5 ? shape[2] : 1;
        int[] winT = r == 5 ? PoolKernels.windows(t, out[2], kernel, stride, padding) : PoolKernels.windows(1, 1, 1, 1, 0);
        return new Geometry(shape.clone(), out, shape[0] * shape[1], t, shape[r - 2], shape[r - 1], winT,
                PoolKernels.windows(shape[r - 2], out[r - 2], kernel, stride, padding),
                PoolKernels.windows(shape[r - 1], out[r - 1], kernel, stride, padding));
    }

    /** One window per plane covering all of T, H, W: the output is (N, C, 1, 1[, 1]). */
    static Geometry global(Object layer, int[] shape) {
        checkRank(layer, shape);
        int r = shape.length;
        int[] out = shape.clone();
        for (int d = 2; d < r; d++) {
            out[d] = 1;
        }
        int t = r == 5 ? shape[2] : 1;
        int h = shape[r - 2];
        int w = shape[r - 1];
        return new Geometry(shape.clone(), out, shape[0] * shape[1], t, h, w,
                PoolKernels.windows(t, 1, t, t, 0), PoolKernels.windows(h, 1, h, h, 0), PoolKernels.windows(w, 1, w, w, 0));
    }

    /**
     * The windows of a kernel × kernel (× kernel) pooling for the backends: per dimension T, H, W
     * (T = 1 with kernel, stride 1 and no padding on rank 4).
     */
    static PoolWindows spec(Geometry g, int kernel, int stride, int padding) {
        boolean is3d = g.inShape().length == 5;
        int r = g.outShape().length;
        return new PoolWindows(g.planes(), new int[] {g.inT(), g.inH(), g.inW()},
                new int[] {is3d ? g.outShape()[2] : 1, g.outShape()[r - 2], g.outShape()[r - 1]},
                new int[] {is3d ? kernel : 1, kernel, kernel}, new int[] {is3d ? stride : 1, stride, stride},
                new int[] {is3d ? padding : 0, padding, padding});
    }

    /** The one window per plane of global pooling: kernel = stride = the input size. */
    static PoolWindows globalSpec(Geometry g) {
        int[] in = {g.inT(), g.inH(), g.inW()};
        return new PoolWindows(g.planes(), in, new int[] {1, 1, 1}, in, in, new int[] {0, 0, 0});
    }
}
