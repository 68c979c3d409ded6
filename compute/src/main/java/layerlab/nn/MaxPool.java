package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Indices;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Tensor;

/**
 * Max pooling (lecture §1): each output element is the maximum of the input over a k×k window
 * (k×k×k over T,H,W for video), the window moving by the stride. It shrinks the spatial size
 * and helps against overfitting. Worked example (2×2, stride 2):
 * [[1,3,2,9],[7,4,1,5],[8,5,2,3],[4,2,1,4]] → [[7,9],[8,4]].
 *
 * <p>y[n,c,i,j] = max over (a,b) in window(i,j) of x[n,c,a,b], window(i,j) starting at
 * (i·s − p, j·s − p); padding counts as −∞. Output size floor((H + 2p − k) / s) + 1, or ceil
 * with {@code ceilMode} (a window that would start in the right/bottom padding is dropped).
 * Backward: the whole gradient dY goes to the window's winner; ties go to the first maximum in
 * row-major window order (as libtorch).
 *
 * <p>PyTorch: {@code nn.MaxPool2d(kernel, stride, padding, ceil_mode=…)} on rank 4,
 * {@code nn.MaxPool3d} on rank 5 (N,C,D,H,W).
 */
public final class MaxPool implements Layer {
    /** kernel, stride ≥ 1; 0 ≤ padding ≤ kernel/2 (PyTorch's rule); ceilMode rounds the output size up. */
    public record Config(int kernel, int stride, int padding, boolean ceilMode) {
        public Config {
            Pooling.checkConfig(Pooling.describe("MaxPool", kernel, stride, padding, ceilMode, ""), kernel, stride, padding);
        }
    }

    /** What backward needs: where the windows lay and each output element's winner. */
    private record Saved(PoolWindows windows, Indices argmax) {}

    private final Config config;
    private Saved saved;

    /** k×k windows, stride s, no padding, floor mode. */
    public MaxPool(int kernel, int stride) {
        this(new Config(kernel, stride, 0, false));
    }

    /** Non-overlapping k×k windows (stride = kernel, as PyTorch's default). */
    public MaxPool(int kernel) {
        this(kernel, kernel);
    }

    public MaxPool(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public Tensor forward(Tensor x) {
        PoolWindows w = windows(x.shape());
        Tensor y = Tensor.empty(x.device(), w.outShape());
        // (N,C,outT?,outH,outW): flat index into x of each window's max, where x lives
        Indices argmax = reusableArgmax(x, y.numel());
        Backends.of(x).poolForward(y, argmax, x, w);
        saved = new Saved(w, argmax);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved s = Layers.saved(this, saved);
        Layers.requireShape(this, "dOut", s.windows().outShape(), dOut);
        Tensor dx = Tensor.empty(dOut.device(), s.windows().inShape()); // overwritten
        Backends.of(dOut).poolBackward(dx, dOut, s.argmax(), s.windows());
        return dx;
    }

    /** The last forward's argmax array when it fits (the kernel writes every entry; nobody else holds it). */
    private Indices reusableArgmax(Tensor x, int n) {
        if (saved != null && saved.argmax().length() == n && saved.argmax().device() == x.device()) {
            return saved.argmax();
        }
        return Backends.of(x).indices(n);
    }

    /**
     * For the last forward, per output element (row-major over the output shape) the flat index
     * into the input of the window's maximum; null before the first forward.
     */
    public int[] lastArgmax() {
        return saved == null ? null : saved.argmax().toArray();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return windows(inputShape).outShape();
    }

    private PoolWindows windows(int[] shape) {
        return PoolWindows.of(this, PoolMode.MAX, shape, config.kernel(), config.stride(), config.padding(),
                config.ceilMode());
    }

    @Override
    public String toString() {
        return Pooling.describe("MaxPool", config.kernel(), config.stride(), config.padding(), config.ceilMode(), "");
    }
}
