package layerlab.backend;

import layerlab.tensor.Shapes;

/**
 * Where the windows of one pooling call lie, computed once per input shape and passed to every
 * backend: the mode, the input (planes = N·C, T, H, W) and output (planes, outT, outH, outW)
 * and, per dimension, the window tables the loops walk. T is a dimension of one element for a
 * rank-4 input. Global pooling is one window per plane: kernel = stride = the input size.
 *
 * @param inShape  the input tensor's shape, (N, C, H, W) or (N, C, D, H, W)
 * @param outShape the output tensor's shape, same rank
 */
public record PoolWindows(PoolMode mode, int planes, int[] inShape, int[] outShape, Axis t, Axis h, Axis w) {
    static final String LAYOUT = "4 (N,C,H,W) or 5 (N,C,D,H,W)";

    /**
     * The windows along one dimension: window o starts at o·stride − padding; lo[o], hi[o] is
     * the input range [lo, hi) under it (padding cut off); padded[o] its length counting padding
     * but not what ceil mode adds past it (the divisor of AVG_INCLUDE_PAD). The arrays are the
     * loops' tables: shared, not copied.
     */
    public record Axis(int in, int out, int kernel, int stride, int padding, int[] lo, int[] hi, int[] padded) {
        /** out windows of a kernel × stride × padding walk over {@code in} elements. */
        static Axis of(int in, int out, int kernel, int stride, int padding) {
            int[] lo = new int[out];
            int[] hi = new int[out];
            int[] padded = new int[out];
            for (int o = 0; o < out; o++) {
                int start = o * stride - padding;
                int end = Math.min(start + kernel, in + padding);
                lo[o] = Math.max(start, 0);
                hi[o] = Math.min(end, in);
                padded[o] = end - start;
            }
            return new Axis(in, out, kernel, stride, padding, lo, hi, padded);
        }

        /** Whether every window is {@code k} wide, {@code k} apart and unpadded: [k·o, k·o + k) for every o. */
        public boolean isTiled(int k) {
            return kernel == k && stride == k && padding == 0 && k * out <= in;
        }
    }

    /**
     * Output length along one dimension, as PyTorch computes it: floor((in + 2p − k) / s) + 1, or
     * with ceil mode ceil(…) + 1, minus one if that last window would start inside the right
     * padding (it would cover no input). May be &lt; 1; {@link #of} reports that.
     */
    public static int outputSize(int in, int k, int s, int p, boolean ceilMode) {
        int span = in + 2 * p - k;
        int out = Math.floorDiv(span + (ceilMode ? s - 1 : 0), s) + 1;
        if (ceilMode && out > 0 && (out - 1) * s >= in + p) {
            out--; // NOTE: PyTorch drops a window that starts in the padding (7×9, k=2, s=3 → 3×3)
        }
        return out;
    }

    /**
     * The windows of a cubic kernel over the trailing 2 (rank 4) or 3 (rank 5) dimensions;
     * {@code layer} names the caller in the errors (wrong rank, an output size &lt; 1).
     */
    public static PoolWindows of(Object layer, PoolMode mode, int[] shape, int kernel, int stride, int padding,
                                 boolean ceilMode) {
        checkRank(layer, shape);
        int r = shape.length;
        int[] out = shape.clone();
        for (int d = 2; d < r; d++) {
            out[d] = outputSize(shape[d], kernel, stride, padding, ceilMode);
        }
        for (int d = 2; d < r; d++) {
            if (out[d] < 1) {
                throw new IllegalArgumentException(layer + ": expected an output size >= 1 along every spatial"
                        + " dimension (" + (ceilMode ? "ceil" : "floor") + "((size + 2·padding − kernel) / stride) + 1),"
                        + " got input shape " + Shapes.str(shape) + " → output shape " + Shapes.str(out));
            }
        }
        Axis t = r == 5 ? Axis.of(shape[2], out[2], kernel, stride, padding) : Axis.of(1, 1, 1, 1, 0);
        return new PoolWindows(mode, shape[0] * shape[1], shape.clone(), out, t,
                Axis.of(shape[r - 2], out[r - 2], kernel, stride, padding),
                Axis.of(shape[r - 1], out[r - 1], kernel, stride, padding));
    }

    /** Global average pooling: one window per plane covering all of T, H, W; output (N, C, 1, 1[, 1]). */
    public static PoolWindows global(Object layer, int[] shape) {
        checkRank(layer, shape);
        int r = shape.length;
        int[] out = shape.clone();
        for (int d = 2; d < r; d++) {
            out[d] = 1;
        }
        int t = r == 5 ? shape[2] : 1;
        int h = shape[r - 2];
        int w = shape[r - 1];
        return new PoolWindows(PoolMode.AVG_INCLUDE_PAD, shape[0] * shape[1], shape.clone(), out,
                Axis.of(t, 1, t, t, 0), Axis.of(h, 1, h, h, 0), Axis.of(w, 1, w, w, 0));
    }

    private static void checkRank(Object layer, int[] shape) {
        if (shape.length != 4 && shape.length != 5) {
            throw new IllegalArgumentException(layer + ": expected rank " + LAYOUT + ", got shape " + Shapes.str(shape));
        }
    }

    /** Input elements of one plane (T·H·W). */
    public int inPlane() {
        return t.in() * h.in() * w.in();
    }

    /** Output elements of one plane. */
    public int outPlane() {
        return t.out() * h.out() * w.out();
    }
}
