package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.cpu.ActivationKernels;
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
        Backends.of(x).sigmoidForward(out, x);
        this.y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor out = Layers.saved(this, y);
        Layers.requireSameShape(this, "dOut", out, dOut);
        Tensor dx = out.emptyLike();
        Backends.of(out).sigmoidBackward(dx, dOut, out);
        return dx;
    }

    @Override
    public float apply(float x) {
        return ActivationKernels.sigmoid(x);
    }

    @Override
    public float derivative(float x) {
        float s = ActivationKernels.sigmoid(x);
        return s * (1f - s);
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
