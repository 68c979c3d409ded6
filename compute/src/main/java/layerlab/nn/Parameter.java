package layerlab.nn;

import layerlab.tensor.Tensor;

/**
 * A named tensor owned by a layer, with its gradient.
 *
 * <p>Trainable parameters (weights, γ, β, PReLU's α) are updated by the optimizers; non-trainable
 * ones (BatchNorm's running mean and variance) are state that summary() counts apart.
 */
public final class Parameter {
    private final String name;
    private final Tensor value; // the parameter, updated in place
    private final Tensor grad;  // same shape; accumulated by backward, cleared by zeroGrad()
    private final boolean trainable;

    public Parameter(String name, Tensor value, boolean trainable) {
        this.name = name;
        this.value = value;
        this.grad = value.zerosLike();
        this.trainable = trainable;
    }

    public static Parameter trainable(String name, Tensor value) {
        return new Parameter(name, value, true);
    }

    public static Parameter state(String name, Tensor value) {
        return new Parameter(name, value, false);
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public boolean trainable() {
        return trainable;
    }

    public int numel() {
        return value.numel();
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }

    @Override
    public String toString() {
        return name + (trainable ? "" : " (state)") + " " + java.util.Arrays.toString(value.shape());
    }
}
