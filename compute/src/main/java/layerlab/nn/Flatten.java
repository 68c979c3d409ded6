package layerlab.nn;

import java.util.Arrays;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Flattens every dimension after the batch: (N, C, H, W) → (N, C·H·W), the step between the
 * last pooling layer and the first fully connected one in the lecture's template (§5).
 * Only the shape changes; the values keep their row-major order. Backward reshapes dY back to
 * the input's shape.
 *
 * <p>The output is a view: it shares storage with the input, as {@code torch.flatten} does for
 * a contiguous tensor. PyTorch: {@code nn.Flatten()} (start_dim = 1).
 */
public final class Flatten implements Layer {
    private int[] inShape; // what backward needs: the shape to restore

    @Override
    public Tensor forward(Tensor x) {
        Layers.requireRank(this, x, "2 to 5 (N, …)", 2, 3, 4, 5);
        inShape = x.shape();
        return x.flatten(1);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = Layers.saved(this, inShape);
        int[] out = {in[0], Shapes.product(in, 1, in.length)};
        if (!Arrays.equals(out, dOut.shape())) {
            throw new IllegalArgumentException(this + ": expected dOut of shape " + Shapes.str(out)
                    + ", got shape " + Shapes.str(dOut.shape()));
        }
        return dOut.reshape(in);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length < 2 || inputShape.length > 5) {
            throw new IllegalArgumentException(this + ": expected rank 2 to 5 (N, …), got shape " + Shapes.str(inputShape));
        }
        return new int[] {inputShape[0], Shapes.product(inputShape, 1, inputShape.length)};
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
