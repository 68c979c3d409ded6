package layerlab.nn;

import java.util.List;
import layerlab.backend.Backend;
import layerlab.backend.Backends;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Batch normalization (lecture §9; Ioffe &amp; Szegedy 2015), per feature map m over the batch:
 * <pre>
 *   μ_B^m  = 1/(HWT) · Σ_t Σ_ij X_ij^mt            σ²_B^m = 1/(HWT) · Σ_t Σ_ij (X_ij^mt − μ_B^m)²
 *   Y_ij^mt = γ^m · (X_ij^mt − μ_B^m) / √(σ²_B^m + ε) + β^m              (training)
 *   μ_avg ← α·μ_avg + (1−α)·μ_B,  σ²_avg ← α·σ²_avg + (1−α)·σ²_B         (training, α = 0.9)
 *   Y_ij^mt = γ^m · (X_ij^mt − μ_avg^m) / √(σ²_avg^m + ε) + β^m          (testing)
 * </pre>
 * Input (N, C), (N, C, H, W) or (N, C, D, H, W); the channel axis is 1. PyTorch:
 * {@code torch.nn.BatchNorm1d/2d/3d(C, momentum=1−α, eps=ε)}; its running variance is the
 * unbiased σ²_B·M/(M−1) (M = values per channel) — {@link Convention#PYTORCH} stores that one,
 * {@link Convention#LECTURE} the biased σ²_B of the slide. Both normalize with the biased σ²_B.
 *
 * <p>Backward (training): dX = γ/√(σ²_B+ε) · (dY − mean(dY) − X̂·mean(dY·X̂)), means per channel;
 * dγ = Σ dY·X̂, dβ = Σ dY. In eval mode the statistics are constants: dX = γ/√(σ²_avg+ε) · dY.
 */
public final class BatchNorm implements Layer {
    /** α: the lecture's smoothing of the running statistics (PyTorch's momentum is 1 − α). */
    public record Config(int channels, Convention convention, double alpha, double eps) {
        public Config {
            Shapes.require(channels > 0, "BatchNorm: expected channels > 0, got " + channels);
            Shapes.require(convention != null, "BatchNorm: expected a convention, got null");
            Shapes.require(alpha >= 0 && alpha <= 1, "BatchNorm: expected alpha in [0, 1], got " + alpha);
            Shapes.require(eps > 0, "BatchNorm: expected eps > 0, got " + eps);
        }

        /** The lecture's defaults: α = 0.9, ε = 1e-5, biased running variance. */
        public static Config lecture(int channels) {
            return new Config(channels, Convention.LECTURE, 0.9, 1e-5);
        }

        /** PyTorch's defaults: momentum 0.1 (α = 0.9), ε = 1e-5, unbiased running variance. */
        public static Config pytorch(int channels) {
            return new Config(channels, Convention.PYTORCH, 0.9, 1e-5);
        }
    }

    /** What backward needs: the input, the statistics it was normalized with, and which ones. */
    private record Saved(Tensor x, Tensor mean, Tensor rstd, boolean batchStatistics) {}

    private final Config config;
    private final Parameter gamma;       // (C), init 1
    private final Parameter beta;        // (C), init 0
    private final Parameter runningMean; // (C), init 0 — state
    private final Parameter runningVar;  // (C), init 1 — state
    private Tensor batchMean;            // (C) of the last training batch; null before one
    private Tensor batchVar;             // (C) biased
    private boolean training = true;
    private Saved saved;

    public BatchNorm(int channels) {
        this(Config.lecture(channels));
    }

    public BatchNorm(int channels, Convention convention) {
        this(convention == Convention.PYTORCH ? Config.pytorch(channels) : Config.lecture(channels));
    }

    public BatchNorm(Config config) {
        this.config = config;
        int c = config.channels();
        gamma = Parameter.trainable("gamma", Tensor.ones(c));
        beta = Parameter.trainable("beta", Tensor.zeros(c));
        runningMean = Parameter.state("running_mean", Tensor.zeros(c));
        runningVar = Parameter.state("running_var", Tensor.ones(c));
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        int n = x.size(0);
        int c = x.size(1);
        int s = x.numel() / (n * c); // spatial size: 1, H·W or T·H·W
        Parameter.follow(x, parameters());
        Backend be = Backends.of(x);
        Tensor mean; // (C)
        Tensor var;  // (C)
        if (training) {
            Layers.require(this, (long) n * s > 1, "expected more than 1 value per channel when training, got input shape "
                    + Shapes.str(x.shape()) + " (use eval mode, train(false), for a single value)");
            mean = Tensor.zeros(x.device(), c);
            var = Tensor.zeros(x.device(), c);
            be.batchNormStats(mean, var, x, n, c, s);
            int m = n * s;
            float varScale = config.convention() == Convention.PYTORCH ? (float) m / (m - 1) : 1f;
            be.runningUpdate(runningMean.value(), runningVar.value(), mean, var, c, (float) config.alpha(), varScale);
            batchMean = mean;
            batchVar = var;
        } else {
            mean = runningMean.value().copy();
            var = runningVar.value().copy();
        }
        Tensor rstd = Tensor.zeros(x.device(), c);
        be.rstd(rstd, var, c, (float) config.eps());
        Tensor y = x.emptyLike();
        be.batchNormForward(y, x, mean, rstd, gamma.value(), beta.value(), n, c, s);
        saved = new Saved(x, mean, rstd, training);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved in = Layers.saved(this, saved);
        Layers.requireSameShape(this, "dOut", in.x(), dOut);
        int n = in.x().size(0);
        int c = in.x().size(1);
        int s = in.x().numel() / (n * c);
        Tensor dx = in.x().emptyLike();
        Backends.of(dOut).batchNormBackward(dx, gamma.grad(), beta.grad(), dOut, in.x(), in.mean(), in.rstd(),
                gamma.value(), n, c, s, in.batchStatistics());
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    @Override
    public void train(boolean on) {
        training = on;
    }

    public boolean training() {
        return training;
    }

    public Config config() {
        return config;
    }

    public Tensor runningMean() {
        return runningMean.value();
    }

    public Tensor runningVar() {
        return runningVar.value();
    }

    /** μ_B of the last training batch, or null before one. */
    public Tensor batchMean() {
        return batchMean;
    }

    /** Biased σ²_B of the last training batch, or null before one. */
    public Tensor batchVar() {
        return batchVar;
    }

    public Tensor gamma() {
        return gamma.value();
    }

    public Tensor beta() {
        return beta.value();
    }

    /** Checks rank and channels; no forward is run (that would be a training step). */
    @Override
    public int[] outputShape(int[] shape) {
        Layers.require(this, shape.length == 2 || shape.length == 4 || shape.length == 5,
                "expected rank 2 (N,C), 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape " + Shapes.str(shape));
        Layers.require(this, shape[1] == config.channels(), "expected " + config.channels()
                + " channels (axis 1), got " + shape[1] + " in shape " + Shapes.str(shape));
        return shape.clone();
    }

    @Override
    public String toString() {
        return "BatchNorm(channels=" + config.channels() + ", convention=" + config.convention()
                + ", alpha=" + config.alpha() + ", eps=" + config.eps() + ")";
    }
}
