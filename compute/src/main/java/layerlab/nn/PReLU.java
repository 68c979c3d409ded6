package layerlab.nn;

import layerlab.backend.Backends;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * PReLU(x) = (x &lt; 0)·αx + (x ≥ 0)·x with a learnable α (lecture §2: the rare activation with
 * trainable parameters). PyTorch: {@code torch.nn.PReLU(num_parameters, init=0.25)}.
 *
 * <p>{@code new PReLU()}: one α shared by every element; {@code new PReLU(C)}: one α per channel
 * (axis 1 of an (N, C, …) input). α starts at 0.25, as in PyTorch; it is the {@link Parameter}
 * "alpha".
 *
 * <p>Backward: dX = dY where x &gt; 0, else α·dY; dα_c += Σ dY·x over the elements of channel c
 * with x ≤ 0.
 */
public final class PReLU implements Activation {
    private final boolean shared; // one α for every element
    private final int channels; // α per channel along axis 1 (1 when shared)
    private final Parameter alpha; // (1) shared, or (C) per channel
    private Tensor x; // input kept for backward

    /** One α shared by all elements, initialized to 0.25. */
    public PReLU() {
        this.shared = true;
        this.channels = 1;
        this.alpha = Parameter.trainable("alpha", Tensor.full(0.25f, 1));
    }

    /** One α per channel (axis 1), each initialized to 0.25. */
    public PReLU(int channels) {
        this.shared = false;
        this.channels = channels;
        Layers.require(this, channels >= 1, "expected channels >= 1, got " + channels);
        this.alpha = Parameter.trainable("alpha", Tensor.full(0.25f, channels));
    }

    /** The α parameter: shape (1) shared, (C) per channel. */
    public Parameter alpha() {
        return alpha;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(alpha);
    }

    /** {outer, channels, inner}: how the input splits into channels (1 channel when shared). */
    private int[] layout(Tensor x) {
        if (shared) {
            return new int[] {1, 1, x.numel()};
        }
        Layers.require(this, x.rank() >= 2 && x.size(1) == channels, "expected an input (N, " + channels
                + ", …) with " + channels + " channels on axis 1, got shape " + Shapes.str(x.shape()));
        int[] s = x.shape();
        return new int[] {s[0], channels, Shapes.product(s, 2, s.length)};
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] l = layout(x);
        Parameter.follow(x, parameters());
        Tensor y = x.emptyLike();
        Backends.of(x).preluForward(y, x, alpha.value(), l[0], l[1], l[2]);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        int[] l = layout(in);
        Tensor dx = in.emptyLike();
        Backends.of(in).preluBackward(dx, alpha.grad(), dOut, in, alpha.value(), l[0], l[1], l[2]);
        return dx;
    }

    /** With the first α (the shared one, or channel 0's). */
    @Override
    public float apply(float x) {
        return x > 0f ? x : alpha.value().toArray()[0] * x;
    }

    @Override
    public float derivative(float x) {
        return x > 0f ? 1f : alpha.value().toArray()[0];
    }

    @Override
    public String toString() {
        return shared ? "PReLU()" : "PReLU(channels=" + channels + ")";
    }
}
