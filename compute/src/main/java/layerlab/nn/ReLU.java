package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * ReLU(x) = max(0, x), applied to every element (lecture §2). PyTorch: {@code torch.nn.ReLU}.
 *
 * <p>Backward: dX = dY where X &gt; 0, else 0.
 */
public final class ReLU implements Activation {
    private Tensor x; // input kept for backward

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.RELU, y, x, 0f);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).activationBackward(Pointwise.RELU, dx, dOut, in, 0f);
        return dx;
    }

    @Override
    public float apply(float x) {
        return x > 0f ? x : 0f;
    }

    @Override
    public float derivative(float x) {
        return x > 0f ? 1f : 0f;
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
