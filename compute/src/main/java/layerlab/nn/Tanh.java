package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * tanh(x) = 2σ(2x) − 1, applied to every element (lecture §2). PyTorch: {@code torch.nn.Tanh}.
 *
 * <p>Backward: dX = dY·(1 − tanh²(x)), computed from the kept output.
 */
public final class Tanh implements Activation {
    private Tensor y; // output kept for backward: tanh' = 1 − y²

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.TANH, out, x, 0f);
        this.y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor out = Layers.saved(this, y);
        Layers.requireSameShape(this, "dOut", out, dOut);
        Tensor dx = out.emptyLike();
        Backends.of(out).activationBackward(Pointwise.TANH, dx, dOut, out, 0f);
        return dx;
    }

    @Override
    public float apply(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    public float derivative(float x) {
        float t = (float) Math.tanh(x);
        return 1f - t * t;
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
