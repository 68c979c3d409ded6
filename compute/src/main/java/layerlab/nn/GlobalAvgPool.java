package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Tensor;

/**
 * Global average pooling: the mean of each feature map over all its spatial positions,
 * y[n,c] = (1/(T·H·W)) · Σ_{t,h,w} x[n,c,t,h,w]; output (N,C,1,1) for rank 4, (N,C,1,1,1) for
 * rank 5. It is average pooling with one window the size of the map (same walker as
 * {@link AvgPool}). Backward: every position receives dY[n,c] / (T·H·W).
 *
 * <p>PyTorch: {@code nn.AdaptiveAvgPool2d(1)} / {@code nn.AdaptiveAvgPool3d(1)}.
 */
public final class GlobalAvgPool implements Layer {
    private PoolWindows saved; // what backward needs: the input shape and its one window per plane

    @Override
    public Tensor forward(Tensor x) {
        PoolWindows w = PoolWindows.global(this, x.shape());
        Tensor y = Tensor.empty(x.device(), w.outShape());
        Backends.of(x).poolForward(y, null, x, w);
        saved = w;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        PoolWindows w = Layers.saved(this, saved);
        Layers.requireShape(this, "dOut", w.outShape(), dOut);
        Tensor dx = Tensor.empty(dOut.device(), w.inShape()); // overwritten
        Backends.of(dOut).poolBackward(dx, dOut, null, w);
        return dx;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return PoolWindows.global(this, inputShape).outShape();
    }

    @Override
    public String toString() {
        return "GlobalAvgPool()";
    }
}
