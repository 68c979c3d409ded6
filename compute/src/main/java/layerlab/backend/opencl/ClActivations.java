package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.Indices;
import layerlab.tensor.Tensor;

/** activation.cl: elementwise activations, PReLU and Maxout. */
final class ClActivations {
    private static final String F = "activation";
    private final ClLaunch cl;

    ClActivations(ClLaunch cl) {
        this.cl = cl;
    }

    /** y = f(x) or dx = dy·f'(·): one work item per element. */
    void elementwise(String kernel, Tensor out, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = cl.buf(out);
        for (int i = 0; i < args.length; i++) {
            all[i + 1] = args[i] instanceof Tensor t ? cl.buf(t) : args[i];
        }
        cl.run1(F, defs("N", out.numel()), kernel, out.numel(), all);
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
