package layerlab.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The oracle itself works offline: relu forward and backward through libtorch. */
class TorchSmokeTest {
    @Test
    void libtorchRunsOfflineWithAutograd() {
        try (Torch t = new Torch()) {
            NDArray x = t.withGrad(Tensor.of(new float[] {-1, 2, -3, 4}, 4));
            NDArray y;
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                y = x.getNDArrayInternal().relu();
                gc.backward(y.mul(t.of(Tensor.of(new float[] {1, 1, 1, 1}, 4))).sum());
            }
            assertEquals(Tensor.of(new float[] {0, 2, 0, 4}, 4), Torch.tensor(y));
            assertEquals(Tensor.of(new float[] {0, 1, 0, 1}, 4), Torch.grad(x));
        }
    }
}
