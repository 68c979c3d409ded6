package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * ELU(x) = (x &lt; 0)·α(exp(x) − 1) + (x ≥ 0)·x (lecture §2). PyTorch: {@code torch.nn.ELU(alpha=α)}
 * (PyTorch's default α is 1).
 *
 * <p>Backward: dX = dY where x &gt; 0, else dY·α·exp(x).
 */
public final class ELU implements Activation {
    private final float alpha;
    private Tensor x; // input kept for backward

    public ELU(float alpha) {
        this.alpha = alpha;
        Layers.require(this, Float.isFinite(alpha), "expected a finite alpha, got " + alpha);
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.ELU, y, x, alpha);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).activationBackward(Pointwise.ELU, dx, dOut, in, alpha);
        return dx;
    }

    @Override
    public float apply(float x) {
        return x > 0f ? x : alpha * (float) Math.expm1(x);
    }

    @Override
    public float derivative(float x) {
        return x > 0f ? 1f : alpha * (float) Math.exp(x);
    }

    @Override
    public String toString() {
        return "ELU(alpha=" + alpha + ")";
    }
}
