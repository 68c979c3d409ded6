package layerlab.backend.cpu;

import layerlab.backend.ConvShape;

/**
 * 2D convolution (cross-correlation, as in every framework) by im2col + GEMM, forward and backward.
 *
 * <p>Per batch item b: col (C·k·k, OH·OW) = im2col(x[b]); y[b] (O, OH·OW) = W (O, C·k·k) · col + bias.
 * Backward: dW += dy[b] · colᵀ; dcol = Wᵀ · dy[b]; dx[b] = col2im(dcol). The loops run in parallel
 * over the batch; each item gets its own col buffer (one allocation per item, none per element).
 * The GEMMs: gemmNN and gemmTN zero C and run the product loop of LinearKernels (i-k-j, the
 * innermost loop contiguous), gemmNT takes dot products of rows. Compiled again as
 * {@code ConvKernels64} (see this package's documentation): primitives, Math and the ConvShape record only.
 */
@SuppressWarnings("cast") // in the float64 twin the (float)→(double) casts become redundant
public final class ConvKernels {
    private ConvKernels() {}

    /**
     * y (N, O, OH, OW) = conv(x (N, C, H, W), w (O, C, k, k)) + bias (O) (bias may be null);
     * padding is zeros; OH = (H + 2·pad − k) / stride + 1.
     */
    public static void conv2dForward(float[] y, float[] x, float[] w, float[] bias, ConvShape s) {
        int n = s.n(), c = s.c(), h = s.h(), wd = s.w(), o = s.o(), oh = s.oh(), ow = s.ow();
        int ckk = s.ckk();
        int p = oh * ow;
        Parallel.forRange(n, 2L * o * ckk * p, b -> {
            float[] col = new float[ckk * p]; // (C·k·k, OH·OW) for this item
            im2col(col, x, b * c * h * wd, s);
            int yOff = b * o * p;
            gemmNN(y, yOff, w, 0, col, 0, o, p, ckk);
            if (bias != null) {
                for (int oc = 0; oc < o; oc++) {
                    for (int j = 0; j < p; j++) {
                        y[yOff + oc * p + j] += bias[oc];
                    }
                }
            }
        });
    }

    /**
     * dx (overwritten; skipped when null), dw and dbias (accumulated; dbias may be null) from dy (N, O, OH, OW).
     * dW is summed over the batch from per-item partials in a fixed order, so the result does
     * not depend on the thread count.
     */
    public static void conv2dBackward(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w,
                                      ConvShape s) {
        int n = s.n(), c = s.c(), h = s.h(), wd = s.w(), o = s.o(), oh = s.oh(), ow = s.ow();
        int ckk = s.ckk();
        int p = oh * ow;
        if (dbias != null) {
            Parallel.forRange(o, (long) n * p, oc -> {
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * o + oc) * p;
                    for (int j = 0; j < p; j++) {
                        sum += dy[off + j];
                    }
                }
                dbias[oc] += (float) sum;
            });
        }
        float[] dwPart = new float[n * o * ckk]; // (N, O, C·k·k): each item's dW
        Parallel.forRange(n, 4L * o * ckk * p, b -> {
            float[] col = new float[ckk * p];
            im2col(col, x, b * c * h * wd, s);
            gemmNT(dwPart, b * o * ckk, dy, b * o * p, col, 0, o, ckk, p);
            if (dx != null) { // null: parameters only (the first layer of a training step)
                gemmTN(col, 0, w, 0, dy, b * o * p, ckk, p, o); // col now holds dcol
                col2im(dx, b * c * h * wd, col, s);
            }
        });
        Parallel.forRange(o * ckk, n, i -> {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                sum += dwPart[b * o * ckk + i];
            }
            dw[i] += (float) sum;
        });
    }

    /** col[(ci·k + ki)·k + kj][oy·OW + ox] = x[ci][oy·s − pad + ki][ox·s − pad + kj], 0 outside. */
    public static void im2col(float[] col, float[] x, int xOff, ConvShape s) {
        int c = s.c(), h = s.h(), wd = s.w(), k = s.k(), stride = s.stride(), pad = s.pad(), oh = s.oh(), ow = s.ow();
        int p = oh * ow;
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * p;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - pad + ki;
                        int base = row + oy * ow;
                        if (iy < 0 || iy >= h) {
                            for (int ox = 0; ox < ow; ox++) {
                                col[base + ox] = 0f;
                            }
                            continue;
                        }
                        int xRow = xOff + (ci * h + iy) * wd;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * stride - pad + kj;
                            col[base + ox] = ix >= 0 && ix < wd ? x[xRow + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: dx[b] = Σ over the windows of dcol, overlapping windows add up. */
    public static void col2im(float[] dx, int xOff, float[] dcol, ConvShape s) {
        int c = s.c(), h = s.h(), wd = s.w(), k = s.k(), stride = s.stride(), pad = s.pad(), oh = s.oh(), ow = s.ow();
        int p = oh * ow;
        for (int i = 0; i < c * h * wd; i++) {
            dx[xOff + i] = 0f;
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * p;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - pad + ki;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int xRow = xOff + (ci * h + iy) * wd;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * stride - pad + kj;
                            if (ix >= 0 && ix < wd) {
                                dx[xRow + ix] += dcol[row + oy * ow + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- GEMM, row-major; C is overwritten ----

    /** C (m, nn) = A (m, kk) · B (kk, nn): C zeroed, then the product loop of LinearKernels. */
    public static void gemmNN(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        for (int i = 0; i < m * nn; i++) {
            cm[cOff + i] = 0f;
        }
        LinearKernels.gemmRows(cm, cOff, a, aOff, false, bm, bOff, m, nn, kk, 0, m);
    }

    /** C (m, nn) = A (m, kk) · B (nn, kk)ᵀ: dot products of rows, four partial sums for speed. */
    public static void gemmNT(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * kk;
            for (int j = 0; j < nn; j++) {
                int bRow = bOff + j * kk;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                int q = 0;
                for (; q + 3 < kk; q += 4) {
                    s0 += a[aRow + q] * bm[bRow + q];
                    s1 += a[aRow + q + 1] * bm[bRow + q + 1];
                    s2 += a[aRow + q + 2] * bm[bRow + q + 2];
                    s3 += a[aRow + q + 3] * bm[bRow + q + 3];
                }
                for (; q < kk; q++) {
                    s0 += a[aRow + q] * bm[bRow + q];
                }
                cm[cOff + i * nn + j] = (s0 + s1) + (s2 + s3);
            }
        }
    }

    /** C (m, nn) = A (kk, m)ᵀ · B (kk, nn): C zeroed, then the product loop of LinearKernels. */
    public static void gemmTN(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        for (int i = 0; i < m * nn; i++) {
            cm[cOff + i] = 0f;
        }
        LinearKernels.gemmRows(cm, cOff, a, aOff, true, bm, bOff, m, nn, kk, 0, m);
    }
}
