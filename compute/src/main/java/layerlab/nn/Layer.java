package layerlab.nn;

import java.util.List;
import layerlab.tensor.Tensor;

/**
 * One layer of the lecture: forward, and backward right below it.
 *
 * <p>{@code forward} caches what {@code backward} needs; {@code backward} takes dL/dOut and
 * returns dL/dX, accumulating the gradients of its parameters into {@link Parameter#grad()}.
 * Calling backward before forward is an error.
 */
public interface Layer {
    Tensor forward(Tensor x);

    Tensor backward(Tensor dOut);

    /**
     * Backward when nobody wants dL/dX — the first layer of a network in a training step, whose
     * input is the data: the parameter gradients accumulate exactly as {@link #backward} would
     * leave them, and a layer may skip computing dL/dX (Conv2d and Linear do; libtorch skips it
     * too for an input that does not require grad). A layer without parameters does nothing.
     */
    default void backwardParameters(Tensor dOut) {
        if (!parameters().isEmpty()) {
            backward(dOut);
        }
    }

    /** Learnable parameters and non-trainable state (BatchNorm's running statistics). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Training (true) or evaluation (false) mode; Dropout and the norms change behaviour. */
    default void train(boolean on) {}

    /** The output shape for an input shape, without computing anything (for summary()). */
    default int[] outputShape(int[] inputShape) {
        return forward(Tensor.zeros(inputShape)).shape();
    }
}
