package layerlab.nn;

import layerlab.backend.Backends;
import java.util.Arrays;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Layer normalization (lecture §10; Ba, Kiros &amp; Hinton 2016): normalize over the layer, not the
 * batch — every sample t on its own,
 * <pre>
 *   μ^t = 1/(HWM) · Σ_m Σ_ij X_ij^mt      σ²^t = 1/(HWM) · Σ_m Σ_ij (X_ij^mt − μ^t)²
 *   Y_ij^mt = γ_ij^m · (X_ij^mt − μ^t) / √(σ²^t + ε) + β_ij^m       (γ, β per element: 1, 0)
 * </pre>
 * {@code new LayerNorm(C, H, W)} is the lecture's layer norm of (N, C, H, W) input. As in PyTorch's
 * {@code torch.nn.LayerNorm(normalized_shape)}, the statistics run over the trailing dimensions
 * named by the shape, so {@code new LayerNorm(D)} normalizes each D-vector of an (N, T, D) input.
 * Computed as a group norm with one group whose γ has one value per element (same kernel).
 */
public final class LayerNorm implements Layer {
    public record Config(int[] normalizedShape, double eps, boolean affine) {
        public Config {
            Shapes.require(normalizedShape != null && normalizedShape.length >= 1 && normalizedShape.length <= 4,
                    "LayerNorm: expected 1 to 4 normalized dimensions, got "
                            + (normalizedShape == null ? "null" : Shapes.str(normalizedShape)));
            for (int dim : normalizedShape) {
                Shapes.require(dim > 0, "LayerNorm: expected normalized dimensions > 0, got " + Shapes.str(normalizedShape));
            }
            Shapes.require(eps > 0, "LayerNorm: expected eps > 0, got " + eps);
            normalizedShape = normalizedShape.clone();
        }

        @Override
        public int[] normalizedShape() {
            return normalizedShape.clone();
        }
    }

    /** x: (N', D) seen flat, N' = the leading dims; mean, rstd: (N', 1) — kept for backward. */
    private record Saved(Tensor x, Tensor mean, Tensor rstd) {}

    private final Config config;
    private final int[] normalized; // the trailing dims normalized over
    private final int size;         // D = their product
    private final Parameter gamma;  // normalizedShape, init 1; null without affine
    private final Parameter beta;   // normalizedShape, init 0; null without affine
    private Tensor lastMean;        // (N', 1)
    private Tensor lastVar;         // (N', 1), biased
    private Saved saved;

    public LayerNorm(int... normalizedShape) {
        this(new Config(normalizedShape, 1e-5, true));
    }

    public LayerNorm(Config config) {
        this.config = config;
        this.normalized = config.normalizedShape();
        this.size = Shapes.numel(normalized);
        gamma = config.affine() ? Parameter.trainable("gamma", Tensor.ones(normalized)) : null;
        beta = config.affine() ? Parameter.trainable("beta", Tensor.zeros(normalized)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        int n = x.numel() / size;
        Parameter.follow(x, parameters());
        Tensor y = x.emptyLike();
        Tensor mean = Tensor.zeros(x.device(), n, 1); // (N', 1)
        Tensor var = mean.zerosLike();
        Tensor rstd = mean.zerosLike();
        Backends.of(x).groupNormForward(y, mean, var, rstd, x, gamma == null ? null : gamma.value(),
                beta == null ? null : beta.value(), n, 1, size, 1, (float) config.eps());
        lastMean = mean;
        lastVar = var;
        saved = new Saved(x, mean, rstd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved in = Layers.saved(this, saved);
        Layers.requireSameShape(this, "dOut", in.x(), dOut);
        Tensor dx = in.x().emptyLike();
        Backends.of(dOut).groupNormBackward(dx, gamma == null ? null : gamma.grad(),
                beta == null ? null : beta.grad(), dOut, in.x(), in.mean(), in.rstd(),
                gamma == null ? null : gamma.value(), in.x().numel() / size, 1, size, 1);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return config.affine() ? List.of(gamma, beta) : List.of();
    }

    public Config config() {
        return config;
    }

    /** Per-sample mean of the last forward, (N', 1) with N' the product of the leading dims; null before one. */
    public Tensor lastMean() {
        return lastMean;
    }

    /** Per-sample biased variance of the last forward, (N', 1); null before one. */
    public Tensor lastVar() {
        return lastVar;
    }

    /** γ (normalizedShape), or null when affine is off. */
    public Tensor gamma() {
        return gamma == null ? null : gamma.value();
    }

    /** β (normalizedShape), or null when affine is off. */
    public Tensor beta() {
        return beta == null ? null : beta.value();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int lead = inputShape.length - normalized.length;
        Layers.require(this, lead >= 0 && Arrays.equals(normalized, Arrays.copyOfRange(inputShape, lead, inputShape.length)),
                "expected trailing dimensions " + Shapes.str(normalized) + ", got shape " + Shapes.str(inputShape));
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "LayerNorm(normalizedShape=" + Shapes.str(normalized) + (config.affine() ? "" : ", affine=false") + ")";
    }
}
