package layerlab.optim;

import java.util.List;
import layerlab.nn.Parameter;

/**
 * Updates trainable parameters from their accumulated gradients. One training step is:
 * {@code zeroGrad(); forward; loss; backward; step();}. Non-trainable parameters (BatchNorm's
 * running statistics) are never touched.
 */
public interface Optimizer {
    /** Applies one update to every trainable parameter from its current gradient. */
    void step();

    /** Sets every trainable parameter's gradient to zero (backward accumulates into it). */
    void zeroGrad();

    /** The trainable parameters this optimizer updates, each once. */
    List<Parameter> parameters();

    double learningRate();

    /** Changes the learning rate for the following steps (a schedule, or the lecture's BN-x30). */
    void setLearningRate(double lr);
}
