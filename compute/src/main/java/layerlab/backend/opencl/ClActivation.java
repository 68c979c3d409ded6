package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.Indices;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * activation.cl: elementwise activations, PReLU and Maxout. A {@link Pointwise} function's
 * kernels are named after it ({@code elu_forward}, {@code elu_backward}); α is their last
 * argument when the function takes one.
 */
final class ClActivation {
    private static final String F = "activation";
    private final ClLaunch cl;

    ClActivation(ClLaunch cl) {
        this.cl = cl;
    }

    /** y = f(x): one work item per element. */
    void forward(Pointwise f, Tensor y, Tensor x, float alpha) {
        if (f.param() == Pointwise.Param.ALPHA) {
            cl.run1(F, defs("N", y.numel()), f.kernel("forward"), y.numel(), cl.buf(y), cl.buf(x), alpha);
        } else {
            cl.run1(F, defs("N", y.numel()), f.kernel("forward"), y.numel(), cl.buf(y), cl.buf(x));
        }
    }

    /** dx = dy·f′ from what forward kept (x, or y): one work item per element. */
    void backward(Pointwise f, Tensor dx, Tensor dy, Tensor kept, float alpha) {
        String k = f.kernel("backward");
        if (f.param() == Pointwise.Param.ALPHA) {
            cl.run1(F, defs("N", dx.numel()), k, dx.numel(), cl.buf(dx), cl.buf(dy), cl.buf(kept), alpha);
        } else {
            cl.run1(F, defs("N", dx.numel()), k, dx.numel(), cl.buf(dx), cl.buf(dy), cl.buf(kept));
        }
    }

    void preluForward(Tensor y, Tensor x, Tensor alpha, int outer, int channels, int inner) {
        int n = outer * channels * inner;
        cl.run1(F, defs("N", n, "CHANNELS", channels, "INNER", inner, "WG", cl.wg()), "prelu_forward", n,
                cl.buf(y), cl.buf(x), cl.buf(alpha));
    }

    void preluBackward(Tensor dx, Tensor dalpha, Tensor dy, Tensor x, Tensor alpha, int outer, int channels, int inner) {
        int n = outer * channels * inner;
        String d = defs("N", n, "CHANNELS", channels, "INNER", inner, "WG", cl.wg());
        cl.run1(F, d, "prelu_backward_dx", n, cl.buf(dx), cl.buf(dy), cl.buf(x), cl.buf(alpha));
        cl.runGroups(F, d, "prelu_backward_dalpha", channels, cl.buf(dalpha), cl.buf(dy), cl.buf(x));
    }

    void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner) {
        int n = outer * (channels / k) * inner;
        cl.run1(F, defs("N", n, "K", k, "INNER", inner), "maxout_forward", n, cl.buf(y), cl.buf(piece), cl.buf(x));
    }

    void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner) {
        int n = outer * (channels / k) * inner;
        cl.run1(F, defs("N", n, "K", k, "INNER", inner), "maxout_backward", n, cl.buf(dx), cl.buf(dy), cl.buf(piece));
    }
}
