package layerlab.nn;

import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Instance normalization (lecture §10; Ulyanov, Vedaldi &amp; Lempitsky 2016): every feature map of
 * every sample on its own,
 * <pre>
 *   μ^{mt} = 1/(HW) · Σ_ij X_ij^mt      σ²^{mt} = 1/(HW) · Σ_ij (X_ij^mt − μ^{mt})²
 *   Y_ij^mt = (X_ij^mt − μ^{mt}) / √(σ²^{mt} + ε)   [· γ^m + β^m with affine on]
 * </pre>
 * That is {@link GroupNorm} with C groups of one map each, which is how it is computed here.
 * Affine is off by default and there are no running statistics, as in PyTorch's
 * {@code torch.nn.InstanceNorm1d/2d/3d(C)}. Input (N, C, L), (N, C, H, W) or (N, C, D, H, W).
 */
public final class InstanceNorm implements Layer {
    public record Config(int channels, boolean affine, double eps) {
        public Config {
            Shapes.require(channels > 0, "InstanceNorm: expected channels > 0, got " + channels);
            Shapes.require(eps > 0, "InstanceNorm: expected eps > 0, got " + eps);
        }
    }

    private final Config config;
    private final GroupNorm groups; // C groups: one per feature map

    public InstanceNorm(int channels) {
        this(new Config(channels, false, 1e-5));
    }

    public InstanceNorm(Config config) {
        this.config = config;
        this.groups = new GroupNorm(new GroupNorm.Config(config.channels(), config.channels(), config.eps(), config.affine()), this);
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return groups.forward(x);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return groups.backward(dOut);
    }

    @Override
    public List<Parameter> parameters() {
        return groups.parameters();
    }

    public Config config() {
        return config;
    }

    /** Per (sample, channel) mean of the last forward, (N, C); null before one. */
    public Tensor lastMean() {
        return groups.lastMean();
    }

    /** Per (sample, channel) biased variance of the last forward, (N, C); null before one. */
    public Tensor lastVar() {
        return groups.lastVar();
    }

    /** γ (C), or null when affine is off. */
    public Tensor gamma() {
        return groups.gamma();
    }

    /** β (C), or null when affine is off. */
    public Tensor beta() {
        return groups.beta();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Layers.require(this, inputShape.length >= 3 && inputShape.length <= 5,
                "expected rank 3 (N,C,L), 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape " + Shapes.str(inputShape));
        Layers.require(this, Shapes.product(inputShape, 2, inputShape.length) > 1,
                "expected more than 1 spatial element per feature map, got shape " + Shapes.str(inputShape));
        return groups.outputShape(inputShape);
    }

    @Override
    public String toString() {
        return "InstanceNorm(channels=" + config.channels() + (config.affine() ? ", affine=true" : "") + ")";
    }
}
