package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Tensor;

/**
 * Leaky ReLU: LReLU(x) = (x &lt; 0)·αx + (x ≥ 0)·x (lecture §2; the slide plots max(0.1x, x)).
 * PyTorch: {@code torch.nn.LeakyReLU(negative_slope=α)}.
 *
 * <p>The lecture gives no default α, so it must be named: {@code new LeakyReLU(0.1f)}.
 * {@link #pytorch()} is PyTorch's default α = 0.01.
 *
 * <p>Backward: dX = dY where x &gt; 0, else α·dY (at exactly 0 the slope α, as PyTorch).
 */
public final class LeakyReLU implements Activation {
    private final float alpha;
    private Tensor x; // input kept for backward

    public LeakyReLU(float alpha) {
        this.alpha = alpha;
        Layers.require(this, Float.isFinite(alpha), "expected a finite alpha, got " + alpha);
    }

    /** PyTorch's default negative slope, α = 0.01. */
    public static LeakyReLU pytorch() {
        return new LeakyReLU(0.01f);
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.LEAKY_RELU, y, x, alpha);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).activationBackward(Pointwise.LEAKY_RELU, dx, dOut, in, alpha);
        return dx;
    }

    @Override
    public float apply(float x) {
        return x > 0f ? x : alpha * x;
    }

    @Override
    public float derivative(float x) {
        return x > 0f ? 1f : alpha;
    }

    @Override
    public String toString() {
        return "LeakyReLU(alpha=" + alpha + ")";
    }
}
