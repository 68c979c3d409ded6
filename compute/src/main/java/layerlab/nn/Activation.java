package layerlab.nn;

/**
 * An elementwise activation: a layer that applies y = f(x) to every element. The scalar forms
 * let a student evaluate or plot f and f′ directly ("Activation Functions", lecture slide 12).
 */
public interface Activation extends Layer {
    /** f(x) for one value. */
    float apply(float x);

    /** f′(x) for one value (the subgradient backward uses at kinks). */
    float derivative(float x);

    @Override
    default int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }
}
