package layerlab.backend.cpu.vec;

import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code ConvKernels}' convolution: the same im2col + GEMM algorithm, with
 * {@link VecGemm} for the products, im2col and col2im copying whole row segments (stride 1),
 * and the column buffer reused per thread instead of allocated per batch item.
 *
 * <p>Per batch item b: col (C·k·k, OH·OW) = im2col(x[b]); y[b] = W · col + bias. Backward:
 * dW_b = dy[b] · colᵀ (summed over b in a fixed order afterwards); dcol = Wᵀ · dy[b];
 * dx[b] = col2im(dcol).
 */
public final class VecConv {
    private VecConv() {}

    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private static float[] col(int size) {
        float[][] holder = COL.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /** y (N, O, OH, OW) = conv(x, w) + bias (bias may be null). */
    public static void forward(float[] y, float[] x, float[] w, float[] bias,
                               int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        int ckk = c * k * k;
        int p = oh * ow;
        Parallel.forRange(n, 2L * o * ckk * p, b -> {
            float[] col = col(ckk * p);
            im2col(col, x, b * c * h * wd, c, h, wd, k, stride, pad, oh, ow);
            int yOff = b * o * p;
            for (int oc = 0; oc < o; oc++) {
                java.util.Arrays.fill(y, yOff + oc * p, yOff + (oc + 1) * p, bias == null ? 0f : bias[oc]);
            }
            VecGemm.gemm(false, false, o, p, ckk, w, 0, ckk, col, 0, p, y, yOff, p, true, false);
        });
    }

    /** dx (overwritten), dw and dbias (accumulated; dbias may be null), as ConvKernels.conv2dBackward. */
    public static void backward(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w,
                                int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        int ckk = c * k * k;
        int p = oh * ow;
        if (dbias != null) {
            for (int oc = 0; oc < o; oc++) {
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    sum += VecMath.sum(dy, (b * o + oc) * p, p);
                }
                dbias[oc] += (float) sum;
            }
        }
        float[] dwPart = new float[n * o * ckk]; // (N, O, C·k·k): each item's dW, summed in a fixed order below
        Parallel.forRange(n, 4L * o * ckk * p, b -> {
            float[] col = col(ckk * p);
            im2col(col, x, b * c * h * wd, c, h, wd, k, stride, pad, oh, ow);
            VecGemm.gemm(false, true, o, ckk, p, dy, b * o * p, p, col, 0, p, dwPart, b * o * ckk, ckk, false, false);
            VecGemm.gemm(true, false, ckk, p, o, w, 0, ckk, dy, b * o * p, p, col, 0, p, false, false); // col ← dcol
            col2im(dx, b * c * h * wd, col, c, h, wd, k, stride, pad, oh, ow);
        });
        int total = o * ckk;
        Parallel.forRange((total + 4095) / 4096, 4096L * n, t -> {
            for (int i = t * 4096, end = Math.min(total, i + 4096); i < end; i++) {
                float sum = 0f;
                for (int b = 0; b < n; b++) {
                    sum += dwPart[b * total + i];
                }
                dw[i] += sum;
            }
        });
    }

    /** col[(ci·k + ki)·k + kj][oy·OW + ox] = x[ci][oy·s − pad + ki][ox·s − pad + kj], 0 outside. */
    public static void im2col(float[] col, float[] x, int xOff, int c, int h, int wd,
                              int k, int stride, int pad, int oh, int ow) {
        int p = oh * ow;
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * p;
                    // output columns whose input column ix = ox·s − pad + kj lies inside [0, W)
                    int lo = Math.max(0, Math.floorDiv(pad - kj + stride - 1, stride));
                    int hi = Math.min(ow, Math.floorDiv(wd - 1 + pad - kj, stride) + 1);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - pad + ki;
                        int base = row + oy * ow;
                        if (iy < 0 || iy >= h || lo >= hi) {
                            java.util.Arrays.fill(col, base, base + ow, 0f);
                            continue;
                        }
                        int xRow = xOff + (ci * h + iy) * wd;
                        for (int ox = 0; ox < lo; ox++) {
                            col[base + ox] = 0f;
                        }
                        if (stride == 1) {
                            System.arraycopy(x, xRow + lo - pad + kj, col, base + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                col[base + ox] = x[xRow + ox * stride - pad + kj];
                            }
                        }
                        for (int ox = hi; ox < ow; ox++) {
                            col[base + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** dx[b] = the sum over the windows of dcol (the adjoint of im2col). */
    public static void col2im(float[] dx, int xOff, float[] dcol, int c, int h, int wd,
                              int k, int stride, int pad, int oh, int ow) {
        int p = oh * ow;
        java.util.Arrays.fill(dx, xOff, xOff + c * h * wd, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * p;
                    int lo = Math.max(0, Math.floorDiv(pad - kj + stride - 1, stride));
                    int hi = Math.min(ow, Math.floorDiv(wd - 1 + pad - kj, stride) + 1);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * stride - pad + ki;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int xRow = xOff + (ci * h + iy) * wd;
                        int src = row + oy * ow;
                        if (stride == 1) {
                            VecMath.addInto(dx, xRow + lo - pad + kj, dcol, src + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[xRow + ox * stride - pad + kj] += dcol[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
