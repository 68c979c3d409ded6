package layerlab.nn;

import java.util.List;
import layerlab.backend.Backends;
import layerlab.backend.ConvShape;
import layerlab.tensor.Rng;
import layerlab.tensor.Seeds;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * 2D convolution on (N, C, H, W), the CONV of the lecture's template (§5):
 * <pre>
 *   Y[n,o,i,j] = b[o] + Σ_c Σ_{u,v} W[o,c,u,v] · X[n, c, i·s − pad + u, j·s − pad + v]    (zero padding)
 *   OH = ⌊(H + 2·pad − k) / s⌋ + 1,  OW likewise
 * </pre>
 * PyTorch: {@code torch.nn.Conv2d(C, O, k, stride=s, padding=pad)}, same initialization:
 * W and b uniform in ±1/√(C·k·k). With {@code weightStandardization} the forward uses Ŵ, each
 * filter standardized as in lecture §11 ({@link WeightStandardization}), and backward goes
 * through it to W.
 *
 * <p>Backward: dX = the transposed convolution of dY with W, dW[o,c,u,v] = Σ dY[n,o,i,j]·X[n,c,…],
 * db[o] = Σ dY[n,o,·,·]. Computed by im2col + GEMM ({@code ConvKernels}).
 */
public final class Conv2d implements Layer {
    public record Config(int inChannels, int outChannels, int kernel, int stride, int padding,
                         boolean bias, boolean weightStandardization) {
        public Config {
            Shapes.require(inChannels > 0, "Conv2d: expected inChannels > 0, got " + inChannels);
            Shapes.require(outChannels > 0, "Conv2d: expected outChannels > 0, got " + outChannels);
            Shapes.require(kernel > 0, "Conv2d: expected kernel > 0, got " + kernel);
            Shapes.require(stride > 0, "Conv2d: expected stride > 0, got " + stride);
            Shapes.require(padding >= 0, "Conv2d: expected padding >= 0, got " + padding);
        }
    }

    /** x: (N, C, H, W), the weight forward used (Ŵ with weight standardization) and the shape — kept for backward. */
    private record Saved(Tensor x, Tensor weightUsed, ConvShape shape) {}

    private final Config config;
    private final Parameter weight; // (O, C, k, k)
    private final Parameter bias;   // (O); null without bias
    private Saved saved;

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(new Config(in, out, kernel, stride, padding, true, false), Seeds.next());
    }

    public Conv2d(Config config, long seed) {
        this.config = config;
        int k = config.kernel();
        Tensor w = Tensor.zeros(config.outChannels(), config.inChannels(), k, k);
        double bound = 1.0 / Math.sqrt((double) config.inChannels() * k * k); // PyTorch's kaiming-uniform(a=√5)
        float[] wd = w.data();
        for (int i = 0; i < wd.length; i++) {
            wd[i] = (float) ((2.0 * Rng.uniform(seed, i) - 1.0) * bound);
        }
        weight = Parameter.trainable("weight", w);
        if (config.bias()) {
            Tensor b = Tensor.zeros(config.outChannels());
            for (int i = 0; i < b.numel(); i++) {
                b.data()[i] = (float) ((2.0 * Rng.uniform(seed, wd.length + i) - 1.0) * bound);
            }
            bias = Parameter.trainable("bias", b);
        } else {
            bias = null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] out = outputShape(x.shape());
        ConvShape s = ConvShape.of(x.shape(), config.outChannels(), config.kernel(), config.stride(), config.padding());
        Parameter.follow(x, parameters());
        Tensor w = config.weightStandardization() ? WeightStandardization.standardize(weight.value()) : weight.value();
        Tensor y = Tensor.empty(x.device(), out);
        Backends.of(x).conv2dForward(y, x, w, bias == null ? null : bias.value(), s);
        saved = new Saved(x, w, s);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dx = Layers.saved(this, saved).x().emptyLike();
        backward(dOut, dx);
        return dx;
    }

    /** dW and db only: the kernel skips dX (the first layer of a training step needs none). */
    @Override
    public void backwardParameters(Tensor dOut) {
        backward(dOut, null);
    }

    private void backward(Tensor dOut, Tensor dx) {
        Saved in = Layers.saved(this, saved);
        Tensor x = in.x();
        ConvShape s = in.shape();
        Layers.requireShape(this, "dOut", new int[] {s.n(), s.o(), s.oh(), s.ow()}, dOut);
        // with weight standardization the kernel's dW is dŴ; the chain rule through Ŵ(W) follows
        Tensor dw = config.weightStandardization() ? weight.value().zerosLike() : weight.grad();
        Backends.of(x).conv2dBackward(dx, dw, bias == null ? null : bias.grad(), dOut, x, in.weightUsed(), s);
        if (config.weightStandardization()) {
            Backends.of(x).axpy(weight.grad(), 1f, WeightStandardization.backward(weight.value(), dw)); // g += dW
        }
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    public Config config() {
        return config;
    }

    /** W (O, C, k, k), the raw weight (before any standardization). */
    public Tensor weight() {
        return weight.value();
    }

    /** b (O), or null without bias. */
    public Tensor bias() {
        return bias == null ? null : bias.value();
    }

    @Override
    public int[] outputShape(int[] s) {
        Layers.require(this, s.length == 4, "expected rank 4 (N,C,H,W), got shape " + Shapes.str(s));
        Layers.require(this, s[1] == config.inChannels(), "expected " + config.inChannels()
                + " input channels (axis 1), got " + s[1] + " in shape " + Shapes.str(s));
        int k = config.kernel();
        int p = config.padding();
        int oh = Math.floorDiv(s[2] + 2 * p - k, config.stride()) + 1;
        int ow = Math.floorDiv(s[3] + 2 * p - k, config.stride()) + 1;
        Layers.require(this, oh >= 1 && ow >= 1, "expected output size >= 1, got " + oh + "x" + ow
                + " for input " + s[2] + "x" + s[3] + " (kernel " + k + ", padding " + p + ")");
        return new int[] {s[0], config.outChannels(), oh, ow};
    }

    @Override
    public String toString() {
        Config c = config;
        return "Conv2d(in=" + c.inChannels() + ", out=" + c.outChannels() + ", kernel=" + c.kernel()
                + ", stride=" + c.stride() + ", padding=" + c.padding()
                + (c.bias() ? "" : ", bias=false") + (c.weightStandardization() ? ", weightStandardization=true" : "") + ")";
    }
}
