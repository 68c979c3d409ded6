package layerlab.nn;

import java.util.List;
import layerlab.backend.Backends;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * A named tensor owned by a layer, with its gradient.
 *
 * <p>Trainable parameters (weights, γ, β, PReLU's α) are updated by the optimizers; non-trainable
 * ones (BatchNorm's running mean and variance) are state that summary() counts apart.
 */
public final class Parameter {
    private final String name;
    private Tensor value; // the parameter, updated in place; replaced only by to(Device)
    private Tensor grad;  // same shape and device; accumulated by backward, cleared by zeroGrad()
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
        Backends.of(grad).fill(grad, 0f);
    }

    /** The device of the value and gradient. */
    public Device device() {
        return value.device();
    }

    /** Moves value and gradient to a device (one copy each; nothing happens if they are there). */
    public void to(Device device) {
        if (device != value.device()) {
            value = value.to(device);
            grad = grad.to(device);
        }
    }

    /**
     * Moves a layer's parameters to the device of its input, once: a layer runs where its input
     * lives, and its parameters then stay there (no copy per call).
     */
    public static void follow(Tensor input, List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.to(input.device());
        }
    }

    @Override
    public String toString() {
        return name + (trainable ? "" : " (state)") + " " + java.util.Arrays.toString(value.shape());
    }
}
