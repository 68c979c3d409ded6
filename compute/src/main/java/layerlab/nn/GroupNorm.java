package layerlab.nn;

import layerlab.backend.Backends;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Group normalization (lecture §10; Wu &amp; He 2018): the C feature maps of one sample are split
 * into G contiguous groups of C/G maps, each normalized over its maps and positions:
 * <pre>
 *   μ^{gt} = 1/(HW·C/G) · Σ_{m∈g} Σ_ij X_ij^mt     σ²^{gt} = 1/(HW·C/G) · Σ_{m∈g} Σ_ij (X_ij^mt − μ^{gt})²
 *   Y_ij^mt = γ^m · (X_ij^mt − μ^{gt}) / √(σ²^{gt} + ε) + β^m          (γ, β per channel: 1, 0)
 * </pre>
 * One group is layer normalization with per-channel γ; C groups is instance normalization
 * ({@link InstanceNorm} is exactly that). The same statistics in training and testing: no running
 * averages. Input (N, C, …) of rank 2 to 5. PyTorch: {@code torch.nn.GroupNorm(G, C, eps=1e-5)}.
 *
 * <p>Backward per (sample, group), with dX̂ = γ·dY: dX = (dX̂ − mean(dX̂) − X̂·mean(dX̂·X̂)) / √(σ²+ε);
 * dγ^m = Σ dY·X̂, dβ^m = Σ dY over the batch and the positions of map m.
 */
public final class GroupNorm implements Layer {
    public record Config(int groups, int channels, double eps, boolean affine) {
        public Config {
            Shapes.require(groups > 0, "GroupNorm: expected groups > 0, got " + groups);
            Shapes.require(channels > 0, "GroupNorm: expected channels > 0, got " + channels);
            Shapes.require(channels % groups == 0, "GroupNorm(groups=" + groups + ", channels=" + channels
                    + "): expected groups to divide channels, got " + channels + " % " + groups + " = " + channels % groups);
            Shapes.require(eps > 0, "GroupNorm: expected eps > 0, got " + eps);
        }
    }

    /** x: (N, C, …); mean, rstd: (N, G) — kept for backward. */
    private record Saved(Tensor x, Tensor mean, Tensor rstd) {}

    private final Config config;
    private final Object owner;     // the layer named in error messages (an InstanceNorm wraps a GroupNorm)
    private final Parameter gamma;  // (C), init 1; null without affine
    private final Parameter beta;   // (C), init 0; null without affine
    private Tensor lastMean;        // (N, G)
    private Tensor lastVar;         // (N, G), biased
    private Saved saved;

    public GroupNorm(int groups, int channels) {
        this(new Config(groups, channels, 1e-5, true));
    }

    public GroupNorm(Config config) {
        this(config, null);
    }

    /** For layers that are a GroupNorm under another name; their toString() heads error messages. */
    GroupNorm(Config config, Object owner) {
        this.config = config;
        this.owner = owner == null ? this : owner;
        gamma = config.affine() ? Parameter.trainable("gamma", Tensor.ones(config.channels())) : null;
        beta = config.affine() ? Parameter.trainable("beta", Tensor.zeros(config.channels())) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.requireRank(owner, x, "2 to 5 (N,C,…)", 2, 3, 4, 5);
        checkChannels(x.shape());
        int n = x.size(0);
        int g = config.groups();
        int span = x.numel() / (n * config.channels()); // positions per channel: γ^m covers span elements
        int d = config.channels() / g * span;
        Parameter.follow(x, parameters());
        Tensor y = x.emptyLike();
        Tensor mean = Tensor.zeros(x.device(), n, g); // (N, G)
        Tensor var = mean.zerosLike();                 // (N, G), biased
        Tensor rstd = mean.zerosLike();                // (N, G)
        Backends.of(x).groupNormForward(y, mean, var, rstd, x, value(gamma), value(beta), n, g, d, span,
                (float) config.eps());
        lastMean = mean;
        lastVar = var;
        saved = new Saved(x, mean, rstd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved in = Layers.saved(owner, saved);
        Layers.requireSameShape(owner, "dOut", in.x(), dOut);
        int n = in.x().size(0);
        int g = config.groups();
        int span = in.x().numel() / (n * config.channels());
        Tensor dx = in.x().emptyLike();
        Backends.of(dOut).groupNormBackward(dx, grad(gamma), grad(beta), dOut, in.x(), in.mean(), in.rstd(),
                value(gamma), n, g, config.channels() / g * span, span);
        return dx;
    }

    private void checkChannels(int[] shape) {
        Layers.require(owner, shape[1] == config.channels(), "expected " + config.channels()
                + " channels (axis 1), got " + shape[1] + " in shape " + Shapes.str(shape));
    }

    private static Tensor value(Parameter p) {
        return p == null ? null : p.value();
    }

    private static Tensor grad(Parameter p) {
        return p == null ? null : p.grad();
    }

    @Override
    public List<Parameter> parameters() {
        return config.affine() ? List.of(gamma, beta) : List.of();
    }

    public Config config() {
        return config;
    }

    /** Per (sample, group) mean of the last forward, (N, G); null before one. */
    public Tensor lastMean() {
        return lastMean;
    }

    /** Per (sample, group) biased variance of the last forward, (N, G); null before one. */
    public Tensor lastVar() {
        return lastVar;
    }

    /** γ (C), or null when affine is off. */
    public Tensor gamma() {
        return gamma == null ? null : gamma.value();
    }

    /** β (C), or null when affine is off. */
    public Tensor beta() {
        return beta == null ? null : beta.value();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Layers.require(owner, inputShape.length >= 2 && inputShape.length <= 5,
                "expected rank 2 to 5 (N,C,…), got shape " + Shapes.str(inputShape));
        checkChannels(inputShape);
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "GroupNorm(groups=" + config.groups() + ", channels=" + config.channels()
                + (config.affine() ? "" : ", affine=false") + ")";
    }
}
