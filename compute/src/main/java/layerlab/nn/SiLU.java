package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * SiLU(x) = x·σ(x) (also called swish). Beyond the lecture. PyTorch: {@code torch.nn.SiLU}.
 *
 * <p>Backward: dX = dY·σ(x)·(1 + x·(1 − σ(x))).
 */
public final class SiLU implements Activation {
    private Tensor x; // input kept for backward

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.SILU, y, x, 0f);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).activationBackward(Pointwise.SILU, dx, dOut, in, 0f);
        return dx;
    }

    @Override
    public float apply(float x) {
        return x * Sigmoid.sigma(x);
    }

    @Override
    public float derivative(float x) {
        float s = Sigmoid.sigma(x);
        return s * (1f + x * (1f - s));
    }

    @Override
    public String toString() {
        return "SiLU()";
    }
}
