package layerlab.backend;

import java.util.Locale;

/**
 * Which elementwise activation a kernel computes: what {@link Backend#activationForward} and
 * {@link Backend#activationBackward} take. Each function's loops carry its name as their stem
 * in every backend: {@code ELU} is {@code ActivationKernels.eluForward} (the reference loop),
 * {@code VecActivation.eluForward} (the Vector API fast path, where there is one) and the
 * kernel {@code elu_forward} of {@code activation.cl} — likewise {@code …Backward} and {@code _backward}.
 */
public enum Pointwise {
    /** max(0, x). */
    RELU(Param.NONE, Keeps.INPUT),
    /** σ(x) = 1/(1 + e^−x); backward from σ(x). */
    SIGMOID(Param.NONE, Keeps.OUTPUT),
    /** tanh(x); backward from tanh(x). */
    TANH(Param.NONE, Keeps.OUTPUT),
    /** x if x &gt; 0, else α·x. */
    LEAKY_RELU(Param.ALPHA, Keeps.INPUT),
    /** x if x &gt; 0, else α·(e^x − 1). */
    ELU(Param.ALPHA, Keeps.INPUT),
    /** x·Φ(x), the exact (erf) form. */
    GELU(Param.NONE, Keeps.INPUT),
    /** x·σ(x). */
    SILU(Param.NONE, Keeps.INPUT);

    /** Whether the function takes a parameter α. */
    public enum Param { NONE, ALPHA }

    /** What backward reads besides dy: forward's input x or its output y. */
    public enum Keeps { INPUT, OUTPUT }

    private final Param param;
    private final Keeps keeps;

    Pointwise(Param param, Keeps keeps) {
        this.param = param;
        this.keeps = keeps;
    }

    public Param param() {
        return param;
    }

    public Keeps keeps() {
        return keeps;
    }

    /** The OpenCL kernel of one pass: "leaky_relu_forward", "elu_backward". */
    public String kernel(String pass) {
        return name().toLowerCase(Locale.ROOT) + "_" + pass;
    }
}
