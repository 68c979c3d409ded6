package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.ConvShape;
import layerlab.tensor.Tensor;

/**
 * conv.cl + linear.cl: Conv2d by im2col and the tiled GEMM (batched over the images), with the
 * direct kernel kept as the slow twin ({@link Algorithm#DIRECT}, forward only).
 */
final class ClConv {
    /** How the forward pass is computed; backward always uses im2col + GEMM. */
    enum Algorithm { IM2COL_GEMM, DIRECT }

    private static final String F = "conv";
    private final ClLaunch cl;
    private final ClLinear gemm;
    private final OpenClBackend backend;
    volatile Algorithm algorithm = Algorithm.IM2COL_GEMM;

    ClConv(ClLaunch cl, ClLinear gemm, OpenClBackend backend) {
        this.cl = cl;
        this.gemm = gemm;
        this.backend = backend;
    }

    /** The shape as defines (conv.cl's NB, C, H, W, O, KS, STRIDE, PAD, OH, OW). */
    static String defines(ConvShape s, int wg) {
        return defs("NB", s.n(), "C", s.c(), "H", s.h(), "W", s.w(), "O", s.o(), "KS", s.k(), "STRIDE", s.stride(),
                "PAD", s.pad(), "OH", s.oh(), "OW", s.ow(), "WG", wg);
    }

    /** y[b] (O, P) = w (O, C·k·k) · col[b] (C·k·k, P) + bias, P = OH·OW. */
    void forward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvShape s) {
        String d = defines(s, cl.wg());
        if (algorithm == Algorithm.DIRECT) {
            cl.run1(F, d, "conv2d_direct", y.numel(), cl.buf(y), cl.buf(x), cl.buf(w), cl.bufOr(bias, w),
                    bias == null ? 0 : 1);
            return;
        }
        int n = s.n(), o = s.o(), ckk = s.ckk();
        int p = s.oh() * s.ow();
        Tensor col = backend.empty(n, ckk, p);
        cl.run1(F, d, "im2col", col.numel(), cl.buf(col), cl.buf(x));
        gemm.gemm(new ClLinear.Gemm(o, p, ckk, false, false, false, false, bias != null, n, 0, (long) ckk * p,
                (long) o * p), cl.buf(y), cl.buf(w), cl.buf(col), bias == null ? null : cl.buf(bias));
    }

    /** dbias += Σ dy; dw += Σ_b dy[b]·col[b]ᵀ; dcol[b] = wᵀ·dy[b]; dx = col2im(dcol) (overwritten). */
    void backward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w, ConvShape s) {
        String d = defines(s, cl.wg());
        int n = s.n(), o = s.o(), ckk = s.ckk();
        int p = s.oh() * s.ow();
        if (dbias != null) {
            cl.runGroups(F, d, "channel_sum_accumulate", o, cl.buf(dbias), cl.buf(dy));
        }
        Tensor col = backend.empty(n, ckk, p);
        cl.run1(F, d, "im2col", col.numel(), cl.buf(col), cl.buf(x));
        // dW = Σ_b dy[b] (O, P) · col[b] (CKK, P)ᵀ: each image's product in one batched GEMM (all
        // images in parallel), then the partials summed in image order, as the CPU does
        ClBuffer dyb = cl.buf(dy);
        Tensor dwPart = backend.empty(n, o, ckk); // (N, O, C·k·k)
        gemm.gemm(new ClLinear.Gemm(o, ckk, p, false, true, false, false, false, n, (long) o * p, (long) ckk * p,
                (long) o * ckk), cl.buf(dwPart), dyb, cl.buf(col), null);
        cl.run1(F, d, "sum_images_accumulate", (long) o * ckk, cl.buf(dw), cl.buf(dwPart));
        if (dx == null) {
            return; // parameters only (Layer.backwardParameters)
        }
        Tensor dcol = backend.empty(n, ckk, p);
        gemm.gemm(new ClLinear.Gemm(ckk, p, o, true, false, false, false, false, n, 0, (long) o * p, (long) ckk * p),
                cl.buf(dcol), cl.buf(w), dyb, null);
        cl.run1(F, d, "col2im", dx.numel(), cl.buf(dx), cl.buf(dcol));
    }
}
