package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.tensor.Tensor;

/**
 * LogSoftmax(Y)ᵢ = log pᵢ = lᵢ − log Σₖ e^{lₖ} over one axis: the log of the lecture's softmax
 * (§4), computed without forming pᵢ, so it stays finite where pᵢ underflows to 0.
 * PyTorch: {@code torch.nn.LogSoftmax(dim=axis)}.
 *
 * <p>Backward: dX = dY − e^y·Σₖ dYₖ (e^y is the softmax), the sum along the axis.
 */
public final class LogSoftmax implements Layer {
    private final int axis;
    private Tensor y; // output kept for backward

    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] l = Softmax.layout(this, axis, x.shape());
        Tensor out = x.emptyLike();
        Backends.of(x).logSoftmaxForward(out, x, l[0], l[1], l[2]);
        this.y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor out = Layers.saved(this, y);
        Layers.requireSameShape(this, "dOut", out, dOut);
        int[] l = Softmax.layout(this, axis, out.shape());
        Tensor dx = out.emptyLike();
        Backends.of(out).logSoftmaxBackward(dx, dOut, out, l[0], l[1], l[2]);
        return dx;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Softmax.layout(this, axis, inputShape);
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "LogSoftmax(axis=" + axis + ")";
    }
}
