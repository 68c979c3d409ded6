package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.ConvShape;
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

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private static float[] col(int size) {
        float[][] holder = COL.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /** Output positions per column chunk: a (C·k·k, CHUNK) slice of col stays in L2 (576 × 256 floats = 576 KiB). */
    private static final int CHUNK = 256;

    /**
     * y (N, O, OH, OW) = conv(x, w) + bias (bias may be null). Per item, col is built and
     * multiplied one chunk of output positions at a time, so the GEMM reads it from L2.
     */
    public static void forward(float[] y, float[] x, float[] w, float[] bias, ConvShape s) {
        forward(y, x, w, bias, s.n(), s.c(), s.h(), s.w(), s.o(), s.k(), s.stride(), s.pad(), s.oh(), s.ow());
    }

    private static void forward(float[] y, float[] x, float[] w, float[] bias,
                                int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        if (stride == 1) {
            forwardShifted(y, x, w, bias, n, c, h, wd, o, k, pad, oh, ow);
            return;
        }
        int ckk = c * k * k;
        int p = oh * ow;
        Parallel.forRange(n, 2L * o * ckk * p, b -> {
            float[] col = col(ckk * Math.min(p, CHUNK));
            int yOff = b * o * p;
            for (int oc = 0; oc < o; oc++) {
                java.util.Arrays.fill(y, yOff + oc * p, yOff + (oc + 1) * p, bias == null ? 0f : bias[oc]);
            }
            for (int j0 = 0; j0 < p; j0 += CHUNK) {
                int j1 = Math.min(p, j0 + CHUNK);
                im2colChunk(col, x, b * c * h * wd, c, h, wd, k, stride, pad, oh, ow, j0, j1);
                VecGemm.gemm(false, false, o, j1 - j0, ckk, w, 0, ckk, col, 0, j1 - j0, y, yOff + j0, p, true, false);
            }
        });
    }

    /**
     * Stride 1 without im2col: x[b] is copied once into a zero-padded image (C, PH, PW) with
     * PW = OW + k − 1 (and PH = OH + k); on it, row (ci, ki, kj) of im2col is the image read from
     * offset ci·PH·PW + ki·PW + kj, if every output row is given PW columns (the last k − 1 of
     * each are junk). So the GEMM reads B straight from the padded image through a table of
     * row offsets; its result (O, OH·PW) is copied to y without the junk columns, plus bias.
     */
    private static void forwardShifted(float[] y, float[] x, float[] w, float[] bias,
                                       int n, int c, int h, int wd, int o, int k, int pad, int oh, int ow) {
        int ckk = c * k * k;
        int pw = ow + k - 1;
        int ph = oh + k; // one spare row: the junk columns of the last output row read past the image
        int wide = oh * pw;
        int[] rowOff = rowOffsets(c, k, ph, pw);
        int p = oh * ow;
        int imgLen = c * ph * pw + VecGemm.NR;
        VecGemm.PackedA wp = VecGemm.packA(false, o, ckk, w, 0, ckk, true); // once for all items
        Parallel.forRange(n, 2L * o * ckk * p, b -> {
            float[][] buf = SHIFTED.get();
            if (buf[0].length < imgLen) {
                buf[0] = new float[imgLen];
            }
            if (buf[1].length < o * wide) {
                buf[1] = new float[o * wide];
            }
            float[] img = buf[0];
            float[] out = buf[1];
            padImage(img, x, b * c * h * wd, c, h, wd, pad, ph, pw);
            VecGemm.gemm(wp, false, wide, img, 0, 0, rowOff, out, 0, wide, false, false);
            int yOff = b * o * p;
            for (int oc = 0; oc < o; oc++) {
                float bv = bias == null ? 0f : bias[oc];
                for (int oy = 0; oy < oh; oy++) {
                    VecMath.copyAdd(y, yOff + oc * p + oy * ow, out, oc * wide + oy * pw, ow, bv);
                }
            }
        });
    }

    /** Batch groups of the stride-1 dW: a fixed count, so the sum does not depend on the thread count. */
    private static final int DW_GROUPS = 8;

    /**
     * Stride-1 backward without im2col. dWᵀ (C·k·k, O) = Σ_b col_b · dy[b]ᵀ, with col_b read in
     * place from x[b]'s padded image through the row-offset table (the GEMM's A, never copied)
     * and dy[b] laid out with PW columns per row (the junk ones zero) as its B. The batch is cut
     * into a fixed number of groups; each group accumulates its items into its own dWᵀ, and the
     * groups are summed into dW in a fixed order. dx is itself a stride-1 convolution: of dy
     * padded by k − 1 − pad with the flipped, transposed filters
     * Wf[ci][o][a][b] = W[o][ci][k−1−a][k−1−b], so {@link #forwardShifted} computes it.
     */
    private static void backwardShifted(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w,
                                        int n, int c, int h, int wd, int o, int k, int pad, int oh, int ow) {
        int ckk = c * k * k;
        int p = oh * ow;
        biasGradient(dbias, dy, n, o, p);
        int pw = ow + k - 1;
        int ph = oh + k;
        int wide = oh * pw;
        int imgLen = c * ph * pw + VecGemm.NR;
        int[] rowOff = rowOffsets(c, k, ph, pw);
        int groups = Math.min(n, DW_GROUPS);
        int total = o * ckk;
        float[] dwT = new float[groups * total]; // per group: dWᵀ (C·k·k, O)
        Parallel.forRange(groups, 2L * total * wide * ((n + groups - 1) / groups), g -> {
            float[][] buf = SHIFTED.get();
            if (buf[0].length < imgLen) {
                buf[0] = new float[imgLen];
            }
            if (buf[1].length < o * wide) {
                buf[1] = new float[o * wide];
            }
            float[] img = buf[0];
            float[] dyWide = buf[1];
            int b0 = g * n / groups;
            int b1 = (g + 1) * n / groups;
            for (int b = b0; b < b1; b++) {
                padImage(img, x, b * c * h * wd, c, h, wd, pad, ph, pw);
                java.util.Arrays.fill(dyWide, 0, o * wide, 0f);
                for (int oc = 0; oc < o; oc++) {
                    for (int oy = 0; oy < oh; oy++) {
                        System.arraycopy(dy, ((b * o + oc) * oh + oy) * ow, dyWide, oc * wide + oy * pw, ow);
                    }
                }
                VecGemm.gemm(false, true, ckk, o, wide, img, 0, 0, rowOff, dyWide, 0, wide, null,
                        dwT, g * total, o, b > b0, false);
            }
        });
        Parallel.forRange(o, (long) ckk * groups, oc -> {
            for (int i = 0; i < ckk; i++) {
                float sum = 0f;
                for (int g = 0; g < groups; g++) {
                    sum += dwT[g * total + i * o + oc];
                }
                dw[oc * ckk + i] += sum;
            }
        });
        if (dx == null) {
            return; // parameters only
        }
        float[] flipped = new float[w.length]; // Wf (C, O, k, k)
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < c; ci++) {
                for (int a = 0; a < k; a++) {
                    for (int bb = 0; bb < k; bb++) {
                        flipped[((ci * o + oc) * k + a) * k + bb] = w[((oc * c + ci) * k + (k - 1 - a)) * k + (k - 1 - bb)];
                    }
                }
            }
        }
        forwardShifted(dx, dy, flipped, null, n, o, oh, ow, c, k, k - 1 - pad, h, wd);
    }

    /** dbias[oc] += Σ over the batch and the positions of dy[·][oc] (dbias may be null), in parallel over oc. */
    private static void biasGradient(float[] dbias, float[] dy, int n, int o, int p) {
        if (dbias == null) {
            return;
        }
        Parallel.forRange(o, (long) n * p, oc -> {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                sum += VecMath.sum(dy, (b * o + oc) * p, p);
            }
            dbias[oc] += (float) sum;
        });
    }

    /** Row (ci, ki, kj) of im2col starts at ci·PH·PW + ki·PW + kj in the padded image. */
    private static int[] rowOffsets(int c, int k, int ph, int pw) {
        int[] rowOff = new int[c * k * k];
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    rowOff[(ci * k + ki) * k + kj] = ci * ph * pw + ki * pw + kj;
                }
            }
        }
        return rowOff;
    }

    /**
     * img (C, PH, PW) = x[b] (C, H, W) at (pad, pad), zeros around, and NR spare zero floats
     * past the end (the GEMM reads B rows in place, a full micro-panel wide); img holds at least
     * c·PH·PW + NR floats.
     */
    private static void padImage(float[] img, float[] x, int xOff, int c, int h, int wd, int pad, int ph, int pw) {
        int len = Math.min(wd, pw - pad);
        int rows = Math.min(h, ph - pad); // input rows that land inside the padded image
        for (int ci = 0; ci < c; ci++) { // only the border is zeroed, the rest is written once
            int base = ci * ph * pw;
            java.util.Arrays.fill(img, base, base + pad * pw, 0f);
            for (int iy = 0; iy < rows; iy++) {
                int at = base + (iy + pad) * pw;
                for (int j = 0; j < pad; j++) {
                    img[at + j] = 0f;
                }
                int src = xOff + (ci * h + iy) * wd;
                int j = 0;
                for (; j + L <= len; j += L) {
                    FloatVector.fromArray(S, x, src + j).intoArray(img, at + pad + j);
                }
                if (j < len && src + j + L <= x.length && at + pad + j + L <= img.length) {
                    // a whole last vector: the floats past the row land in places written after it
                    // (the right padding below, the next row, the bottom rows or the spare floats)
                    FloatVector.fromArray(S, x, src + j).intoArray(img, at + pad + j);
                } else {
                    for (; j < len; j++) {
                        img[at + pad + j] = x[src + j];
                    }
                }
                for (int z = pad + len; z < pw; z++) {
                    img[at + z] = 0f;
                }
            }
            java.util.Arrays.fill(img, base + (rows + pad) * pw, base + ph * pw, 0f);
        }
        java.util.Arrays.fill(img, c * ph * pw, Math.min(img.length, c * ph * pw + VecGemm.NR), 0f);
    }

    private static final ThreadLocal<float[][]> SHIFTED = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /** The columns [j0, j1) of im2col (positions j = oy·OW + ox), stored (C·k·k, j1 − j0). */
    static void im2colChunk(float[] col, float[] x, int xOff, int c, int h, int wd,
                            int k, int stride, int pad, int oh, int ow, int j0, int j1) {
        int width = j1 - j0;
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * width - j0; // col index of position j: row + j
                    int lo = Math.max(0, Math.floorDiv(pad - kj + stride - 1, stride));
                    int hi = Math.min(ow, Math.floorDiv(wd - 1 + pad - kj, stride) + 1);
                    for (int oy = j0 / ow, oyEnd = (j1 - 1) / ow; oy <= oyEnd; oy++) {
                        int a = Math.max(j0, oy * ow); // this output row's part of the chunk: positions [a, e)
                        int e = Math.min(j1, (oy + 1) * ow);
                        int iy = oy * stride - pad + ki;
                        if (iy < 0 || iy >= h || lo >= hi) {
                            java.util.Arrays.fill(col, row + a, row + e, 0f);
                            continue;
                        }
                        int xRow = xOff + (ci * h + iy) * wd;
                        int rowStart = oy * ow;
                        int va = Math.max(a, rowStart + lo); // valid positions [va, ve)
                        int ve = Math.min(e, rowStart + hi);
                        if (va >= ve) {
                            java.util.Arrays.fill(col, row + a, row + e, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, row + a, row + va, 0f);
                        if (stride == 1) {
                            System.arraycopy(x, xRow + (va - rowStart) - pad + kj, col, row + va, ve - va);
                        } else {
                            for (int j = va; j < ve; j++) {
                                col[row + j] = x[xRow + (j - rowStart) * stride - pad + kj];
                            }
                        }
                        java.util.Arrays.fill(col, row + ve, row + e, 0f);
                    }
                }
            }
        }
    }

    /** dx (overwritten; skipped when null), dw and dbias (accumulated; dbias may be null), as ConvKernels.conv2dBackward. */
    public static void backward(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w, ConvShape s) {
        backward(dx, dw, dbias, dy, x, w, s.n(), s.c(), s.h(), s.w(), s.o(), s.k(), s.stride(), s.pad(), s.oh(), s.ow());
    }

    private static void backward(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w,
                                 int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        if (stride == 1 && pad <= k - 1) {
            backwardShifted(dx, dw, dbias, dy, x, w, n, c, h, wd, o, k, pad, oh, ow);
            return;
        }
        int ckk = c * k * k;
        int p = oh * ow;
        biasGradient(dbias, dy, n, o, p);
        float[] dwPart = new float[n * o * ckk]; // (N, O, C·k·k): each item's dW, summed in a fixed order below
        Parallel.forRange(n, 4L * o * ckk * p, b -> {
            float[] col = col(ckk * p);
            im2col(col, x, b * c * h * wd, c, h, wd, k, stride, pad, oh, ow);
            VecGemm.gemm(false, true, o, ckk, p, dy, b * o * p, p, col, 0, p, dwPart, b * o * ckk, ckk, false, false);
            if (dx != null) {
                VecGemm.gemm(true, false, ckk, p, o, w, 0, ckk, dy, b * o * p, p, col, 0, p, false, false); // col ← dcol
                col2im(dx, b * c * h * wd, col, c, h, wd, k, stride, pad, oh, ow);
            }
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
