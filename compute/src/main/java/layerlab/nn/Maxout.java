package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Indices;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Maxout(x) = max(a₁x + b₁, a₂x + b₂, …) (lecture §2; Goodfellow et al. 2013): the maximum of
 * k affine pieces. PyTorch has no Maxout layer.
 *
 * <ul>
 *   <li>{@code new Maxout(k)}: the pieces are already computed, as k consecutive channels of the
 *       input (N, C, …): output channel j is the max over channels j·k … j·k+k−1, so the output
 *       has C/k channels (C must be divisible by k). Usually placed after a convolution.</li>
 *   <li>{@link #affine(int, int, int, long)}: the slide's form with its own weights: a
 *       {@link Linear} with k·out outputs, then the max over each group of k.</li>
 * </ul>
 *
 * <p>Backward: dY goes to the winning piece (the first maximum on a tie); the others get 0.
 */
public final class Maxout implements Activation {
    private final int k;
    private final Linear pieces; // null: the pieces are the input's channels
    private Saved saved;

    /** What backward needs: the input shape and, per output element, the winning piece 0…k−1. */
    private record Saved(int[] inputShape, Indices piece, int outer, int channels, int inner) {}

    public Maxout(int k) {
        this(k, null);
    }

    private Maxout(int k, Linear pieces) {
        this.k = k;
        this.pieces = pieces;
        Layers.require(this, k >= 1, "expected k >= 1, got " + k);
    }

    /** max over k affine pieces of an input (B, in): a Linear(in, k·out, seed), then the max per group of k. */
    public static Maxout affine(int in, int out, int k, long seed) {
        Shapes.require(in >= 1 && out >= 1 && k >= 1, "Maxout(in=" + in + ", out=" + out + ", k=" + k
                + "): expected in, out and k >= 1, got in=" + in + ", out=" + out + ", k=" + k);
        return new Maxout(k, new Linear(in, out * k, seed));
    }

    public int k() {
        return k;
    }

    @Override
    public List<Parameter> parameters() {
        return pieces == null ? List.of() : pieces.parameters();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor z = pieces == null ? x : pieces.forward(x);
        int[] s = z.shape();
        Layers.require(this, z.rank() >= 2 && s[1] % k == 0, "expected channels (axis 1) divisible by k = " + k
                + ", got shape " + Shapes.str(s));
        int outer = s[0];
        int inner = Shapes.product(s, 2, s.length);
        int[] outShape = s.clone();
        outShape[1] = s[1] / k;
        Tensor y = Tensor.empty(z.device(), outShape);
        Indices piece = Backends.of(z).indices(y.numel());
        Backends.of(z).maxoutForward(y, piece, z, outer, s[1], k, inner);
        saved = new Saved(s, piece, outer, s[1], inner);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved kept = Layers.saved(this, saved);
        int[] outShape = kept.inputShape().clone();
        outShape[1] /= k;
        Layers.require(this, java.util.Arrays.equals(outShape, dOut.shape()), "expected dOut of shape "
                + Shapes.str(outShape) + ", got shape " + Shapes.str(dOut.shape()));
        Tensor dz = Tensor.zeros(dOut.device(), kept.inputShape());
        Backends.of(dOut).maxoutBackward(dz, dOut, kept.piece(), kept.outer(), kept.channels(), k, kept.inner());
        return pieces == null ? dz : pieces.backward(dz);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] s = pieces == null ? inputShape.clone() : pieces.outputShape(inputShape);
        Layers.require(this, s.length >= 2 && s[1] % k == 0, "expected channels (axis 1) divisible by k = " + k
                + ", got shape " + Shapes.str(inputShape));
        s[1] /= k;
        return s;
    }

    /**
     * The scalar view for plots. Channel form: every piece sees the same x, so max(x, …, x) = x.
     * Affine form: x fed to every input, output unit 0: max_i(a_i·x + b_i) with a_i the sum of
     * piece i's weights — for in = 1 exactly the slide's max(a₁x + b₁, a₂x + b₂, …).
     */
    @Override
    public float apply(float x) {
        return pieces == null ? x : pieceValue(winner(x), x);
    }

    @Override
    public float derivative(float x) {
        return pieces == null ? 1f : slope(winner(x));
    }

    private int winner(float x) {
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (pieceValue(i, x) > pieceValue(best, x)) {
                best = i;
            }
        }
        return best;
    }

    private float pieceValue(int i, float x) {
        return slope(i) * x + pieces.bias().value().data()[i];
    }

    private float slope(int i) {
        int in = pieces.inFeatures();
        float[] a = pieces.weight().value().data();
        float sum = 0f;
        for (int m = 0; m < in; m++) {
            sum += a[i * in + m];
        }
        return sum;
    }

    @Override
    public String toString() {
        return pieces == null ? "Maxout(k=" + k + ")"
                : "Maxout(in=" + pieces.inFeatures() + ", out=" + pieces.outFeatures() / k + ", k=" + k + ")";
    }
}
