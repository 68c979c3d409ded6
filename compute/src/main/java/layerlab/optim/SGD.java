package layerlab.optim;

import java.util.List;
import layerlab.backend.Backends;
import layerlab.nn.Parameter;
import layerlab.tensor.Tensor;

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
    private final Tensor[] velocity; // v per parameter, same shape, on the parameter's device
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
        this.velocity = new Tensor[this.params.size()];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = this.params.get(i).value().zerosLike();
        }
    }

    @Override
    public void step() {
        float lr = (float) config.lr;
        float mu = (float) config.momentum;
        float wd = (float) config.weightDecay;
        for (int k = 0; k < params.size(); k++) {
            Parameter p = params.get(k);
            velocity[k] = Backends.onDeviceOf(p.value(), velocity[k]); // the state follows its parameter
            // g = dp + wd·p; v ← μ·v + g; p ← p − lr·v (OptimKernels.sgdStep)
            Backends.of(p.value()).sgdStep(p.value(), p.grad(), velocity[k], lr, mu, wd);
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
