package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * σ(x) = 1 / (1 + exp(−x)), applied to every element (lecture §2). PyTorch: {@code torch.nn.Sigmoid}.
 *
 * <p>Backward: dX = dY·σ(x)·(1 − σ(x)), computed from the kept output. Stable for large |x|:
 * for x &lt; 0 it evaluates e^x/(1 + e^x), which never overflows.
 */
public final class Sigmoid implements Activation {
    private Tensor y; // output kept for backward: σ' = y·(1 − y)

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.SIGMOID, out, x, 0f);
        this.y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor out = Layers.saved(this, y);
        Layers.requireSameShape(this, "dOut", out, dOut);
        Tensor dx = out.emptyLike();
        Backends.of(out).activationBackward(Pointwise.SIGMOID, dx, dOut, out, 0f);
        return dx;
    }

    @Override
    public float apply(float x) {
        return sigma(x);
    }

    @Override
    public float derivative(float x) {
        float s = sigma(x);
        return s * (1f - s);
    }

    /** σ(x) in the stable form of the reference loop (ActivationKernels.sigmoid): e^x/(1 + e^x) below 0. */
    static float sigma(float x) {
        if (x >= 0f) {
            return 1f / (1f + (float) Math.exp(-x));
        }
        float e = (float) Math.exp(x);
        return e / (1f + e);
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
