package layerlab.optim;

import java.util.List;
import layerlab.nn.Parameter;

/**
 * Stochastic gradient descent with momentum, in PyTorch's form ({@code torch.optim.SGD},
 * dampening 0, no Nesterov):
 * <pre>
 *   g ← ∂L/∂p + λ·p          (λ: weight decay, L2 on the gradient)
 *   v ← μ·v + g              (v = 0 before the first step, so v₁ = g)
 *   p ← p − lr·v
 * </pre>
 * With μ = 0 it is plain gradient descent p ← p − lr·g.
 */
public final class SGD implements Optimizer {
    /** Learning rate lr &gt; 0, momentum μ ∈ [0, 1), weight decay λ ≥ 0. */
    public record Config(double lr, double momentum, double weightDecay) {
        public Config {
            Params.require(lr > 0 && Double.isFinite(lr), "SGD: expected lr > 0, got " + lr);
            Params.require(momentum >= 0 && momentum < 1, "SGD: expected momentum in [0, 1), got " + momentum);
            Params.require(weightDecay >= 0 && Double.isFinite(weightDecay),
                    "SGD: expected weightDecay >= 0, got " + weightDecay);
        }
    }

    private final List<Parameter> params;
    private final float[][] velocity; // v per parameter, same length as its values
    private Config config;

    public SGD(List<Parameter> params, double lr) {
        this(params, new Config(lr, 0, 0));
    }

    public SGD(List<Parameter> params, double lr, double momentum) {
        this(params, new Config(lr, momentum, 0));
    }

    public SGD(List<Parameter> params, Config config) {
        this.params = Params.trainable("SGD", params);
        this.config = config;
        this.velocity = new float[this.params.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new float[this.params.get(i).numel()];
        }
    }

    @Override
    public void step() {
        float lr = (float) config.lr;
        float mu = (float) config.momentum;
        float wd = (float) config.weightDecay;
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k).value().data();
            float[] dp = params.get(k).grad().data();
            float[] v = velocity[k];
            for (int i = 0; i < p.length; i++) {
                float g = dp[i] + wd * p[i];
                v[i] = mu * v[i] + g;
                p[i] -= lr * v[i];
            }
        }
    }

    @Override
    public void zeroGrad() {
        Params.zeroGrad(params);
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    public Config config() {
        return config;
    }

    @Override
    public double learningRate() {
        return config.lr;
    }

    @Override
    public void setLearningRate(double lr) {
        config = new Config(lr, config.momentum, config.weightDecay);
    }

    @Override
    public String toString() {
        return "SGD(lr=" + config.lr + ", momentum=" + config.momentum
                + (config.weightDecay > 0 ? ", weightDecay=" + config.weightDecay : "") + ")";
    }
}
