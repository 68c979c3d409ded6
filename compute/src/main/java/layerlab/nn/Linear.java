package layerlab.nn;

import java.util.List;
import layerlab.backend.Backends;
import layerlab.tensor.Rng;
import layerlab.tensor.Seeds;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * The fully connected layer (lecture §3): M inputs → N outputs by a matrix A of size N×M and a
 * bias b of length N, Y = A·X + b for one column vector X. For a batch of B row vectors
 * X (B, M) that is Y = X·Aᵀ + b, Y (B, N). PyTorch: {@code torch.nn.Linear(M, N)}, whose
 * {@code weight} is the same (N, M) matrix.
 *
 * <p>Parameters "weight" A (out, in) and "bias" b (out), initialized as PyTorch does: uniform in
 * ±1/√in (drawn from {@link Rng} with the layer's seed).
 *
 * <p>Backward: dX = dY·A; dA += dYᵀ·X; db += Σ_rows dY.
 *
 * <p>The input must be (B, M); a convolution's (N, C, H, W) output is flattened first
 * ({@code Flatten}), as the lecture reshapes X′ into a vector of size M = d·w·h.
 */
public final class Linear implements Layer {
    /** The most elements one Java array can hold on common JVMs. */
    static final long MAX_WEIGHTS = Integer.MAX_VALUE - 8;

    private final int in;
    private final int out;
    private final Parameter weight; // A: (out, in), the lecture's N×M
    private final Parameter bias; // b: (out)
    private Tensor x; // input (B, in) kept for backward

    /** With the next default seed ({@link Seeds#next()}). */
    public Linear(int in, int out) {
        this(in, out, Seeds.next());
    }

    public Linear(int in, int out, long seed) {
        this.in = in;
        this.out = out;
        Layers.require(this, in >= 1 && out >= 1, "expected in >= 1 and out >= 1, got in=" + in + ", out=" + out);
        // NOTE: out * in in int arithmetic wraps (46341² > 2³¹) and new float[] would then fail
        // with a bare NegativeArraySizeException: check the product as a long
        long weights = (long) in * out;
        Layers.require(this, weights <= MAX_WEIGHTS, "expected in × out <= " + MAX_WEIGHTS
                + " weights (one Java array), got " + in + " × " + out + " = " + weights);
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] a = new float[out * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (2f * Rng.uniform(seed, i) - 1f) * bound;
        }
        float[] b = new float[out];
        for (int j = 0; j < out; j++) {
            b[j] = (2f * Rng.uniform(seed, (long) a.length + j) - 1f) * bound;
        }
        this.weight = Parameter.trainable("weight", Tensor.of(a, out, in));
        this.bias = Parameter.trainable("bias", Tensor.of(b, out));
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    /** A, shape (out, in). */
    public Parameter weight() {
        return weight;
    }

    /** b, shape (out). */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    private void check(int[] s) {
        Layers.require(this, s.length == 2, "expected rank 2 (B, " + in + "), got shape " + Shapes.str(s)
                + "; flatten the input first (Flatten)");
        Layers.require(this, s[1] == in, "expected " + in + " input features (shape [B, " + in + "]), got "
                + s[1] + " (shape " + Shapes.str(s) + ")");
    }

    @Override
    public Tensor forward(Tensor x) {
        check(x.shape());
        int batch = x.size(0);
        Parameter.follow(x, parameters());
        Tensor y = Tensor.empty(x.device(), batch, out);
        Backends.of(x).linearForward(y, x, weight.value(), bias.value(), batch, in, out);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor input = Layers.saved(this, x);
        int batch = input.size(0);
        Layers.require(this, java.util.Arrays.equals(dOut.shape(), new int[] {batch, out}),
                "expected dOut of shape " + Shapes.str(batch, out) + ", got shape " + Shapes.str(dOut.shape()));
        Tensor dx = input.emptyLike();
        Backends.of(input).linearBackward(dx, weight.grad(), bias.grad(), dOut, input, weight.value(), batch, in, out);
        return dx;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        check(inputShape);
        return new int[] {inputShape[0], out};
    }

    @Override
    public String toString() {
        return "Linear(in=" + in + ", out=" + out + ")";
    }
}
