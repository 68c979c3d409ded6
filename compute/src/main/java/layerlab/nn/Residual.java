package layerlab.nn;

import layerlab.backend.Backends;
import java.util.Arrays;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * A residual connection (ResNet, lecture §5): y = x + F(x), where F is the inner layer (often a
 * {@link Sequential}). F must keep the shape of its input.
 *
 * <p>Backward: the gradient flows along both paths and adds up, dX = dOut + F'ᵀ(dOut) — the
 * identity path is why deep residual networks still get a gradient.
 */
public final class Residual implements Layer {
    private final Layer inner;
    private int[] shape; // x's shape in the last forward (= y's)

    public Residual(Layer inner) {
        if (inner == null) {
            throw new IllegalArgumentException("Residual: expected an inner layer, got null");
        }
        this.inner = inner;
    }

    /** F, the layer on the residual branch. */
    public Layer inner() {
        return inner;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = Trace.child(0, inner, x);
        requireSame(x.shape(), f.shape());
        Tensor y = f.copy().reshape(x.shape()); // y = F(x) + x, on the input's device
        Backends.of(x).axpy(y, 1f, x);
        shape = x.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] s = Layers.saved(this, shape);
        Layers.require(this, Arrays.equals(s, dOut.shape()), "expected dOut of shape " + Shapes.str(s)
                + ", got shape " + Shapes.str(dOut.shape()));
        Tensor dx = inner.backward(dOut).copy().reshape(s); // dX = F'ᵀ(dOut) + dOut
        Backends.of(dOut).axpy(dx, 1f, dOut);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public void train(boolean on) {
        inner.train(on);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        requireSame(inputShape, inner.outputShape(inputShape));
        return inputShape.clone();
    }

    private void requireSame(int[] in, int[] out) {
        Layers.require(this, Arrays.equals(in, out), "expected the inner layer to keep the input shape "
                + Shapes.str(in) + " (y = x + F(x)), got F(x) of shape " + Shapes.str(out));
    }

    @Override
    public String toString() {
        return "Residual(" + inner + ")";
    }
}
