package layerlab.backend;

/**
 * The pooling windows of one layer call, per dimension (T, H, W; T = 1 for 2D): window o of a
 * dimension starts at o·stride − padding and ends at min(start + kernel, in + padding); the
 * input is (planes, inT, inH, inW), the output (planes, outT, outH, outW). Global pooling is
 * kernel = stride = the input size. This is what {@code PoolKernels.windows} tabulates.
 */
public record PoolWindows(int planes, int[] in, int[] out, int[] kernel, int[] stride, int[] padding) {
    public PoolWindows {
        for (int[] a : new int[][] {in, out, kernel, stride, padding}) {
            if (a.length != 3) {
                throw new IllegalArgumentException("PoolWindows: expected 3 values (T, H, W), got " + a.length);
            }
        }
    }
}
