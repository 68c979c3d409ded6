package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Softmax(Y)ᵢ = e^{lᵢ} / Σₖ e^{lₖ} = pᵢ over one axis (lecture §4): then Σₖ pₖ = 1 and
 * 0 ≤ pᵢ ≤ 1. PyTorch: {@code torch.nn.Softmax(dim=axis)}.
 *
 * <p>The axis may be negative (−1 is the last). Numerically stable: the maximum along the axis
 * is subtracted first, which leaves the result unchanged.
 *
 * <p>Backward: dX = y·(dY − Σₖ dYₖ·yₖ), the sum along the axis.
 */
public final class Softmax implements Layer {
    private final int axis;
    private Tensor y; // output kept for backward

    public Softmax(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    /** {outer, n, inner} for the axis of a tensor of this shape, or a clear error naming the layer. */
    static int[] layout(Object layer, int axis, int[] shape) {
        int r = shape.length;
        Layers.require(layer, axis >= -r && axis < r, "expected axis in [" + (-r) + ", " + r + ") for shape "
                + Shapes.str(shape) + ", got " + axis);
        int a = axis < 0 ? axis + r : axis;
        return new int[] {Shapes.product(shape, 0, a), shape[a], Shapes.product(shape, a + 1, r)};
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] l = layout(this, axis, x.shape());
        Tensor out = x.emptyLike();
        Backends.of(x).softmaxForward(out, x, l[0], l[1], l[2]);
        this.y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor out = Layers.saved(this, y);
        Layers.requireSameShape(this, "dOut", out, dOut);
        int[] l = layout(this, axis, out.shape());
        Tensor dx = out.emptyLike();
        Backends.of(out).softmaxBackward(dx, dOut, out, l[0], l[1], l[2]);
        return dx;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        layout(this, axis, inputShape);
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "Softmax(axis=" + axis + ")";
    }
}
