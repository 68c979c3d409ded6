package layerlab.optim;

import java.util.List;
import layerlab.backend.Backends;
import layerlab.nn.Parameter;
import layerlab.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015) as {@code torch.optim.Adam} computes it:
 * <pre>
 *   g ← ∂L/∂p + λ·p                 (λ: weight decay, L2 on the gradient; not AdamW)
 *   m ← β₁·m + (1 − β₁)·g            first moment
 *   v ← β₂·v + (1 − β₂)·g²           second moment
 *   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction (m = v = 0 at t = 0)
 *   p ← p − lr · m̂ / (√v̂ + ε)
 * </pre>
 * Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
 */
public final class Adam implements Optimizer {
    /** lr &gt; 0, β₁, β₂ ∈ [0, 1), ε &gt; 0, weight decay λ ≥ 0. */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Config {
            Params.require(lr > 0 && Double.isFinite(lr), "Adam: expected lr > 0, got " + lr);
            Params.require(beta1 >= 0 && beta1 < 1, "Adam: expected beta1 in [0, 1), got " + beta1);
            Params.require(beta2 >= 0 && beta2 < 1, "Adam: expected beta2 in [0, 1), got " + beta2);
            Params.require(eps > 0 && Double.isFinite(eps), "Adam: expected eps > 0, got " + eps);
            Params.require(weightDecay >= 0 && Double.isFinite(weightDecay),
                    "Adam: expected weightDecay >= 0, got " + weightDecay);
        }
    }

    private final List<Parameter> params;
    private final Tensor[] m; // first moment per parameter, on the parameter's device
    private final Tensor[] v; // second moment per parameter
    private Config config;
    private int t; // steps taken

    public Adam(List<Parameter> params, double lr) {
        this(params, new Config(lr, 0.9, 0.999, 1e-8, 0));
    }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps) {
        this(params, new Config(lr, beta1, beta2, eps, 0));
    }

    public Adam(List<Parameter> params, Config config) {
        this.params = Params.trainable("Adam", params);
        this.config = config;
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = this.params.get(i).value().zerosLike();
            v[i] = this.params.get(i).value().zerosLike();
        }
    }

    @Override
    public void step() {
        t++;
        double b1 = config.beta1;
        double b2 = config.beta2;
        double correction1 = 1 - Math.pow(b1, t);
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(b2, t));
        double stepSize = config.lr / correction1;
        for (int k = 0; k < params.size(); k++) {
            Parameter p = params.get(k);
            m[k] = Backends.onDeviceOf(p.value(), m[k]); // the state follows its parameter
            v[k] = Backends.onDeviceOf(p.value(), v[k]);
            // lr·m̂/(√v̂ + ε) written as PyTorch does: (lr/c₁)·m / (√v/√c₂ + ε) (OptimKernels.adamStep)
            Backends.of(p.value()).adamStep(p.value(), p.grad(), m[k], v[k], b1, b2, stepSize, sqrtCorrection2,
                    config.eps, config.weightDecay);
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

    /** Steps taken so far (t in the bias correction). */
    public int steps() {
        return t;
    }

    @Override
    public double learningRate() {
        return config.lr;
    }

    @Override
    public void setLearningRate(double lr) {
        config = new Config(lr, config.beta1, config.beta2, config.eps, config.weightDecay);
    }

    @Override
    public String toString() {
        return "Adam(lr=" + config.lr + ", beta1=" + config.beta1 + ", beta2=" + config.beta2 + ", eps=" + config.eps
                + (config.weightDecay > 0 ? ", weightDecay=" + config.weightDecay : "") + ")";
    }
}
