package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Tensor;

/**
 * Average pooling (lecture §1): each output element is the mean of the input over a k×k window
 * (k×k×k over T,H,W for video), the window moving by the stride.
 *
 * <p>y[n,c,i,j] = (1/|window|) · Σ over (a,b) in window(i,j) of x[n,c,a,b], window(i,j) starting
 * at (i·s − p, j·s − p); padding counts as 0. |window| is k² including padded positions with
 * {@code countIncludePad} (PyTorch's default), else the number of input elements under the
 * window. Output size as {@link MaxPool}. Backward: every element under window (i,j) receives
 * dY[i,j] / |window|.
 *
 * <p>PyTorch: {@code nn.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad)} on
 * rank 4, {@code nn.AvgPool3d} on rank 5 (N,C,D,H,W). Shares its window walker with MaxPool.
 * NOTE: libtorch's avg_pool3d alone refuses an input smaller than the kernel along T, H or W
 * even when padding or ceil mode give a well-defined output; this layer computes that output.
 */
public final class AvgPool implements Layer {
    /** kernel, stride ≥ 1; 0 ≤ padding ≤ kernel/2 (PyTorch's rule); countIncludePad as PyTorch's count_include_pad. */
    public record Config(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        public Config {
            Pooling.checkConfig(describe(kernel, stride, padding, ceilMode, countIncludePad), kernel, stride, padding);
        }

        /** Padded positions are counted in the divisor (PyTorch's default). */
        public Config(int kernel, int stride, int padding, boolean ceilMode) {
            this(kernel, stride, padding, ceilMode, true);
        }
    }

    private final Config config;
    private PoolWindows saved; // what backward needs: where the windows lay

    /** k×k windows, stride s, no padding, floor mode. */
    public AvgPool(int kernel, int stride) {
        this(new Config(kernel, stride, 0, false, true));
    }

    /** Non-overlapping k×k windows (stride = kernel, as PyTorch's default). */
    public AvgPool(int kernel) {
        this(kernel, kernel);
    }

    public AvgPool(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public Tensor forward(Tensor x) {
        PoolWindows w = windows(x.shape());
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
        return windows(inputShape).outShape();
    }

    private PoolWindows windows(int[] shape) {
        return PoolWindows.of(this, config.countIncludePad() ? PoolMode.AVG_INCLUDE_PAD : PoolMode.AVG_EXCLUDE_PAD,
                shape, config.kernel(), config.stride(), config.padding(), config.ceilMode());
    }

    private static String describe(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return Pooling.describe("AvgPool", kernel, stride, padding, ceilMode, countIncludePad ? "" : ", countIncludePad=false");
    }

    @Override
    public String toString() {
        return describe(config.kernel(), config.stride(), config.padding(), config.ceilMode(), config.countIncludePad());
    }
}
