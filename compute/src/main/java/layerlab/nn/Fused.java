package layerlab.nn;

import layerlab.backend.Backend;
import layerlab.backend.Backends;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Inference-time fusions, explicit and opt-in (the layers themselves never fuse): the same
 * numbers as running the layers one after the other in eval mode, with fewer passes over memory.
 * <ul>
 *   <li>{@link #batchNormRelu}: ReLU(BatchNorm(x)) with the running statistics, one pass instead
 *       of two (and one output instead of two);</li>
 *   <li>{@link #foldBatchNorm}: a Conv2d whose weights absorb the BatchNorm that follows it:
 *       W'[o] = W[o]·γ[o]/√(σ²[o]+ε), b'[o] = (b[o] − μ[o])·γ[o]/√(σ²[o]+ε) + β[o].</li>
 * </ul>
 * PyTorch: {@code torch.ao.nn.intrinsic.BNReLU2d}, {@code torch.nn.utils.fuse_conv_bn_eval}.
 * The one-pass loop is {@code Backend.batchNormReluForward} (on the CPU, {@code FusedKernels});
 * the folding is arithmetic on the weights, done here on the host.
 */
public final class Fused {
    private Fused() {}

    /** max(0, γ·(x − μ_avg)/√(σ²_avg + ε) + β) in one pass: bn in eval mode, then ReLU. */
    public static Tensor batchNormRelu(BatchNorm bn, Tensor x) {
        bn.outputShape(x.shape());
        int n = x.size(0);
        int c = x.size(1);
        int s = x.numel() / (n * c);
        Backend b = Backends.of(x);
        Tensor rstd = Tensor.zeros(x.device(), c);
        b.rstd(rstd, Backends.onDeviceOf(x, bn.runningVar()), c, (float) bn.config().eps()); // as BatchNorm computes it
        Tensor y = x.emptyLike();
        b.batchNormReluForward(y, x, Backends.onDeviceOf(x, bn.runningMean()), rstd, Backends.onDeviceOf(x, bn.gamma()),
                Backends.onDeviceOf(x, bn.beta()), n, c, s);
        return y;
    }

    /**
     * A new Conv2d (with bias, without weight standardization) equal to bn(conv(x)) with bn in
     * eval mode; with weight standardization the standardized weight is the one folded.
     */
    public static Conv2d foldBatchNorm(Conv2d conv, BatchNorm bn) {
        Conv2d.Config cc = conv.config();
        Shapes.require(bn.config().channels() == cc.outChannels(), "Fused.foldBatchNorm: expected a BatchNorm over "
                + cc.outChannels() + " channels (the conv's outputs), got " + bn.config().channels());
        Conv2d folded = new Conv2d(new Conv2d.Config(cc.inChannels(), cc.outChannels(), cc.kernel(), cc.stride(),
                cc.padding(), true, false), 0);
        Tensor w = cc.weightStandardization() ? WeightStandardization.standardize(conv.weight()) : conv.weight();
        float[] src = w.toArray();
        float[] dst = folded.weight().data();
        float[] bias = folded.bias().data();
        float[] rstd = rstd(bn);
        float[] gamma = bn.gamma().toArray();
        float[] beta = bn.beta().toArray();
        float[] mean = bn.runningMean().toArray();
        float[] b = conv.bias() == null ? new float[cc.outChannels()] : conv.bias().toArray();
        int per = src.length / cc.outChannels(); // C·k·k weights per output channel
        for (int o = 0; o < cc.outChannels(); o++) {
            float scale = gamma[o] * rstd[o];
            for (int i = 0; i < per; i++) {
                dst[o * per + i] = src[o * per + i] * scale;
            }
            bias[o] = (b[o] - mean[o]) * scale + beta[o];
        }
        return folded;
    }

    /** 1/√(σ²_avg + ε), as BatchNorm computes it. */
    private static float[] rstd(BatchNorm bn) {
        float[] var = bn.runningVar().toArray();
        float[] r = new float[var.length];
        for (int i = 0; i < var.length; i++) {
            r[i] = (float) (1.0 / Math.sqrt((double) var[i] + (float) bn.config().eps())); // NOTE: ε rounded to float first, as BatchNorm does
        }
        return r;
    }
}
