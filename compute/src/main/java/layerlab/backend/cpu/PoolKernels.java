package layerlab.backend.cpu;

import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;

/**
 * Max and average pooling over (T,H,W) windows on flat arrays; 2D pooling is the case T = 1.
 *
 * <p>Both poolings share one window walker: {@link PoolWindows} lists, for each output index
 * along one dimension, the input range [lo, hi) its window covers and the window's length
 * counting padding; {@link #forward} and {@link #backward} walk those windows for every (n, c)
 * plane. Planes are independent, so the loops run in parallel over N·C.
 *
 * <p>Layout: x, dx: (planes, inT, inH, inW); y, dy, argmax: (planes, outT, outH, outW), row-major.
 * The build compiles this file again in double precision as {@code PoolKernels64}
 * (see this package's documentation): only primitives, arrays, Float.*, Math, Parallel and the
 * PoolWindows record here.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /**
     * y = max or mean of x over each window. Max: padding acts as −∞, the first maximum in
     * row-major window order wins (a NaN wins over numbers, the last NaN over an earlier one, as in
     * libtorch, so NaN propagates); argmax gets the winner's flat index into x. Mean: divided by
     * the padded window size (AVG_INCLUDE_PAD), else by the number of input elements under the
     * window; argmax is not written (may be null).
     */
    public static void forward(float[] y, int[] argmax, float[] x, PoolWindows win) {
        boolean max = win.mode() == PoolMode.MAX;
        boolean countIncludePad = win.mode() == PoolMode.AVG_INCLUDE_PAD;
        // the window tables per dimension: input range [lo, hi) and padded length of each output index
        int[] tLo = win.t().lo(), tHi = win.t().hi(), tPad = win.t().padded();
        int[] hLo = win.h().lo(), hHi = win.h().hi(), hPad = win.h().padded();
        int[] wLo = win.w().lo(), wHi = win.w().hi(), wPad = win.w().padded();
        int inH = win.h().in(), inW = win.w().in();
        int outT = win.t().out(), outH = win.h().out(), outW = win.w().out();
        int inPlane = win.inPlane();
        int outPlane = win.outPlane();
        long work = Math.max(1, inPlane / Math.max(1, outPlane)) * 2L * outPlane;
        Parallel.forRange(win.planes(), work, nc -> {
            int xBase = nc * inPlane;
            int o = nc * outPlane;
            for (int ot = 0; ot < outT; ot++) {
                int t0 = tLo[ot], t1 = tHi[ot];
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = hLo[oh], h1 = hHi[oh];
                    for (int ow = 0; ow < outW; ow++, o++) {
                        int w0 = wLo[ow], w1 = wHi[ow];
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
                            int count = countIncludePad ? tPad[ot] * hPad[oh] * wPad[ow] : (t1 - t0) * (h1 - h0) * (w1 - w0);
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
    public static void backward(float[] dx, float[] dy, int[] argmax, PoolWindows win) {
        boolean max = win.mode() == PoolMode.MAX;
        boolean countIncludePad = win.mode() == PoolMode.AVG_INCLUDE_PAD;
        int[] tLo = win.t().lo(), tHi = win.t().hi(), tPad = win.t().padded();
        int[] hLo = win.h().lo(), hHi = win.h().hi(), hPad = win.h().padded();
        int[] wLo = win.w().lo(), wHi = win.w().hi(), wPad = win.w().padded();
        int inH = win.h().in(), inW = win.w().in();
        int outT = win.t().out(), outH = win.h().out(), outW = win.w().out();
        int inPlane = win.inPlane();
        int outPlane = win.outPlane();
        long work = Math.max(1, inPlane / Math.max(1, outPlane)) * 2L * outPlane;
        Parallel.forRange(win.planes(), work, nc -> {
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
                int t0 = tLo[ot], t1 = tHi[ot];
                for (int oh = 0; oh < outH; oh++) {
                    int h0 = hLo[oh], h1 = hHi[oh];
                    for (int ow = 0; ow < outW; ow++, o++) {
                        int w0 = wLo[ow], w1 = wHi[ow];
                        int count = countIncludePad ? tPad[ot] * hPad[oh] * wPad[ow] : (t1 - t0) * (h1 - h0) * (w1 - w0);
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
