package layerlab.nn;

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
        float[] y = f.data().clone(); // y = x + F(x)
        float[] xs = x.data();
        for (int i = 0; i < y.length; i++) {
            y[i] += xs[i];
        }
        shape = x.shape();
        return Tensor.of(y, x.shape());
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] s = Layers.saved(this, shape);
        Layers.require(this, Arrays.equals(s, dOut.shape()), "expected dOut of shape " + Shapes.str(s)
                + ", got shape " + Shapes.str(dOut.shape()));
        float[] dx = inner.backward(dOut).data().clone(); // dX = F'ᵀ(dOut) + dOut
        float[] d = dOut.data();
        for (int i = 0; i < dx.length; i++) {
            dx[i] += d[i];
        }
        return Tensor.of(dx, s);
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
