package layerlab.backend.cpu;

/**
 * Max and average pooling over (T,H,W) windows on flat arrays; 2D pooling is the case T = 1.
 *
 * <p>Both poolings share one window walker: {@link #windows} lists, for each output index along
 * one dimension, the input range [lo, hi) its window covers and the window's length counting
 * padding; {@link #forward} and {@link #backward} walk those windows for every (n, c) plane.
 * Planes are independent, so the loops run in parallel over N·C.
 *
 * <p>Layout: x, dx: (planes, inT, inH, inW); y, dy, argmax: (planes, outT, outH, outW), row-major.
 * The build compiles this file again in double precision as {@code PoolKernels64}
 * (see compute/pom.xml): only primitives, arrays, Float.*, Math and Parallel here.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /**
     * Output length along one dimension, as PyTorch computes it: floor((in + 2p − k) / s) + 1, or
     * with ceil mode ceil(…) + 1, minus one if that last window would start inside the right
     * padding (it would cover no input). May be &lt; 1; the caller reports that.
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
     * The window walker along one dimension: for output index o, win[3o] = lo and win[3o+1] = hi
     * (the input range [lo, hi) under the window, padding cut off) and win[3o+2] = the window's
     * length counting padding but not what ceil mode adds past it (the divisor of
     * count_include_pad). Window o starts at o·s − p.
     */
    public static int[] windows(int in, int out, int k, int s, int p) {
        int[] win = new int[3 * out]; // (out, 3): lo, hi, padded length
        for (int o = 0; o < out; o++) {
            int start = o * s - p;
            int end = Math.min(start + k, in + p);
            win[3 * o] = Math.max(start, 0);
            win[3 * o + 1] = Math.min(end, in);
            win[3 * o + 2] = end - start;
        }
        return win;
    }

    /**
     * y = max or mean of x over each window. Max: padding acts as −∞, the first maximum in
     * row-major window order wins (a NaN wins over numbers, the last NaN over an earlier one, as in
     * libtorch, so NaN propagates); argmax gets the
     * winner's flat index into x. Mean: divided by the padded window size when countIncludePad,
     * else by the number of input elements under the window; argmax is not written (may be null).
     */
    public static void forward(float[] y, int[] argmax, float[] x, int planes, int inT, int inH, int inW,
                               int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        if (Simd.poolForward(y, argmax, x, planes, inT, inH, inW, winT, winH, winW, max, countIncludePad)) {
            return;
        }
        int outT = winT.length / 3, outH = winH.length / 3, outW = winW.length / 3;
        int inPlane = inT * inH * inW;
        int outPlane = outT * outH * outW;
        long work = Math.max(1, inPlane / Math.max(1, outPlane)) * 2L * outPlane;
        Parallel.forRange(planes, work, nc -> {
            int xBase = nc * inPlane;
            int o = nc * outPlane;
            for (int ot = 0; ot < outT; ot++) {
                int t0 = winT[3 * ot], t1 = winT[3 * ot + 1];
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = winH[3 * oh], h1 = winH[3 * oh + 1];
                    for (int ow = 0; ow < outW; ow++, o++) {
                        int w0 = winW[3 * ow], w1 = winW[3 * ow + 1];
                        float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                        int best = xBase + (t0 * inH + h0) * inW + w0; // first input element of the window
                        for (int t = t0; t < t1; t++) {
                            for (int h = h0; h < h1; h++) {
                                int row = xBase + (t * inH + h) * inW;
                                for (int w = w0; w < w1; w++) {
                                    float v = x[row + w];
                                    if (!max) {
                                        acc += v;
                                    } else if (v > acc || v != v) {
                                        acc = v;
                                        best = row + w;
                                    }
                                }
                            }
                        }
                        if (max) {
                            y[o] = acc;
                            argmax[o] = best;
                        } else {
                            int count = countIncludePad ? winT[3 * ot + 2] * winH[3 * oh + 2] * winW[3 * ow + 2]
                                    : (t1 - t0) * (h1 - h0) * (w1 - w0);
                            y[o] = acc / count;
                        }
                    }
                }
            }
        });
    }

    /**
     * dx = dL/dx given dy (dx is overwritten: each plane is zeroed first, then the gradients are
     * added in). Max: the whole of dy[o] goes to the winner argmax[o]. Mean: every input element
     * under window o gets dy[o] / (the divisor forward used). Overlapping windows add up.
     */
    public static void backward(float[] dx, float[] dy, int[] argmax, int planes, int inT, int inH, int inW,
                                int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        if (Simd.poolBackward(dx, dy, argmax, planes, inT, inH, inW, winT, winH, winW, max, countIncludePad)) {
            return;
        }
        int outT = winT.length / 3, outH = winH.length / 3, outW = winW.length / 3;
        int inPlane = inT * inH * inW;
        int outPlane = outT * outH * outW;
        long work = Math.max(1, inPlane / Math.max(1, outPlane)) * 2L * outPlane;
        Parallel.forRange(planes, work, nc -> {
            int xBase = nc * inPlane;
            int o = nc * outPlane;
            for (int i = xBase; i < xBase + inPlane; i++) {
                dx[i] = 0f;
            }
            if (max) {
                for (int end = o + outPlane; o < end; o++) {
                    dx[argmax[o]] += dy[o]; // argmax stays inside plane nc: no two threads write one dx
                }
                return;
            }
            for (int ot = 0; ot < outT; ot++) {
                int t0 = winT[3 * ot], t1 = winT[3 * ot + 1];
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = winH[3 * oh], h1 = winH[3 * oh + 1];
                    for (int ow = 0; ow < outW; ow++, o++) {
                        int w0 = winW[3 * ow], w1 = winW[3 * ow + 1];
                        int count = countIncludePad ? winT[3 * ot + 2] * winH[3 * oh + 2] * winW[3 * ow + 2]
                                : (t1 - t0) * (h1 - h0) * (w1 - w0);
                        float g = dy[o] / count;
                        for (int t = t0; t < t1; t++) {
                            for (int h = h0; h < h1; h++) {
                                int row = xBase + (t * inH + h) * inW;
                                for (int w = w0; w < w1; w++) {
                                    dx[row + w] += g;
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
