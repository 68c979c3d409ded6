package layerlab.backend;

/**
 * The shape of one 2D convolution, what every backend's conv2d kernels take: input x (n, c, h, w),
 * weight (o, c, k, k), output (n, o, oh, ow) with oh = ⌊(h + 2·pad − k) / stride⌋ + 1 (ow likewise).
 */
public record ConvShape(int n, int c, int h, int w, int o, int k, int stride, int pad, int oh, int ow) {
    public ConvShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || o < 1 || k < 1 || stride < 1 || pad < 0 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("ConvShape: expected positive sizes and pad >= 0, got n=" + n + " c=" + c
                    + " h=" + h + " w=" + w + " o=" + o + " k=" + k + " stride=" + stride + " pad=" + pad
                    + " oh=" + oh + " ow=" + ow);
        }
    }

    /** The shape for an input (n, c, h, w) and a k×k convolution to o channels. */
    public static ConvShape of(int[] x, int o, int k, int stride, int pad) {
        if (x.length != 4) {
            throw new IllegalArgumentException("ConvShape: expected an input shape (n, c, h, w), got rank " + x.length);
        }
        return new ConvShape(x[0], x[1], x[2], x[3], o, k, stride, pad,
                Math.floorDiv(x[2] + 2 * pad - k, stride) + 1, Math.floorDiv(x[3] + 2 * pad - k, stride) + 1);
    }

    /** C·k·k: the rows of the im2col matrix. */
    public int ckk() {
        return c * k * k;
    }
}
