package layerlab.backend.cpu;

import java.util.List;
import java.util.Optional;
import layerlab.backend.Backend;
import layerlab.backend.DeviceInfo;
import layerlab.backend.Indices;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * The reference backend: every method calls the readable loops of a {@code *Kernels} class on
 * the tensors' host arrays. Always available.
 */
public final class CpuBackend implements Backend {
    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public List<DeviceInfo> devices() {
        Runtime rt = Runtime.getRuntime();
        String name = System.getProperty("os.arch") + " (" + Parallel.threads() + " threads)";
        return List.of(new DeviceInfo(Device.CPU, name, "cpu", rt.maxMemory(), rt.availableProcessors(),
                "Java " + Runtime.version().feature()));
    }

    @Override
    public long transfers() {
        return 0;
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @Override
    public Tensor copy(Tensor x) {
        return x.copy();
    }

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(t.data(), value);
    }

    @Override
    public Tensor upload(Tensor host) {
        return host;
    }

    @Override
    public Tensor download(Tensor x) {
        return x;
    }

    @Override
    public Indices indices(int length) {
        return Indices.of(new int[length]);
    }

    @Override
    public Indices upload(int[] host) {
        return Indices.of(host);
    }

    @Override
    public int[] read(Indices idx) {
        return idx.array().clone();
    }

    @Override
    public void axpy(Tensor y, float a, Tensor x) {
        float[] yd = y.data();
        float[] xd = x.data();
        for (int i = 0; i < yd.length; i++) {
            yd[i] += a * xd[i];
        }
    }

    @Override
    public void copyBlocks(Tensor dst, int dstStart, int dstStride, Tensor src, int srcStart, int srcStride, int block,
                           int count) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(src.data(), srcStart + i * srcStride, dst.data(), dstStart + i * dstStride, block);
        }
    }

    // ---- activations ------------------------------------------------------------------------

    @Override
    public void reluForward(Tensor y, Tensor x) {
        ActivationKernels.reluForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor x) {
        ActivationKernels.reluBackward(dx.data(), dy.data(), x.data(), x.numel());
    }

    @Override
    public void sigmoidForward(Tensor y, Tensor x) {
        ActivationKernels.sigmoidForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void sigmoidBackward(Tensor dx, Tensor dy, Tensor y) {
        ActivationKernels.sigmoidBackward(dx.data(), dy.data(), y.data(), y.numel());
    }

    @Override
    public void tanhForward(Tensor y, Tensor x) {
        ActivationKernels.tanhForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void tanhBackward(Tensor dx, Tensor dy, Tensor y) {
        ActivationKernels.tanhBackward(dx.data(), dy.data(), y.data(), y.numel());
    }

    @Override
    public void leakyReluForward(Tensor y, Tensor x, float alpha) {
        ActivationKernels.leakyReluForward(y.data(), x.data(), alpha, x.numel());
    }

    @Override
    public void leakyReluBackward(Tensor dx, Tensor dy, Tensor x, float alpha) {
        ActivationKernels.leakyReluBackward(dx.data(), dy.data(), x.data(), alpha, x.numel());
    }

    @Override
    public void preluForward(Tensor y, Tensor x, Tensor alpha, int outer, int channels, int inner) {
        ActivationKernels.preluForward(y.data(), x.data(), alpha.data(), outer, channels, inner);
    }

    @Override
    public void preluBackward(Tensor dx, Tensor dalpha, Tensor dy, Tensor x, Tensor alpha, int outer, int channels,
                              int inner) {
        ActivationKernels.preluBackward(dx.data(), dalpha.data(), dy.data(), x.data(), alpha.data(), outer, channels, inner);
    }

    @Override
    public void eluForward(Tensor y, Tensor x, float alpha) {
        ActivationKernels.eluForward(y.data(), x.data(), alpha, x.numel());
    }

    @Override
    public void eluBackward(Tensor dx, Tensor dy, Tensor x, float alpha) {
        ActivationKernels.eluBackward(dx.data(), dy.data(), x.data(), alpha, x.numel());
    }

    @Override
    public void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner) {
        ActivationKernels.maxoutForward(y.data(), piece.array(), x.data(), outer, channels, k, inner);
    }

    @Override
    public void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner) {
        ActivationKernels.maxoutBackward(dx.data(), dy.data(), piece.array(), outer, channels, k, inner);
    }

    @Override
    public void geluForward(Tensor y, Tensor x) {
        ActivationKernels.geluForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void geluBackward(Tensor dx, Tensor dy, Tensor x) {
        ActivationKernels.geluBackward(dx.data(), dy.data(), x.data(), x.numel());
    }

    @Override
    public void siluForward(Tensor y, Tensor x) {
        ActivationKernels.siluForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void siluBackward(Tensor dx, Tensor dy, Tensor x) {
        ActivationKernels.siluBackward(dx.data(), dy.data(), x.data(), x.numel());
    }

    // ---- fully connected, softmax, cross entropy ----------------------------------------------

    /** Aᵀ scratch of linearForward, kept per thread and grown as needed (one allocation, not one per call). */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void linearForward(Tensor y, Tensor x, Tensor a, Tensor bias, int batch, int in, int out) {
        float[] aT = TRANSPOSED.get();
        if (aT.length < in * out) {
            aT = new float[in * out];
            TRANSPOSED.set(aT);
        }
        LinearKernels.linearForward(y.data(), aT, x.data(), a.data(), host(bias), batch, in, out);
    }

    @Override
    public void linearBackward(Tensor dx, Tensor da, Tensor dbias, Tensor dy, Tensor x, Tensor a, int batch, int in,
                               int out) {
        LinearKernels.linearBackward(dx.data(), da.data(), host(dbias), dy.data(), x.data(), a.data(), batch, in, out);
    }

    @Override
    public void softmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        SoftmaxKernels.softmaxForward(y.data(), x.data(), outer, n, inner);
    }

    @Override
    public void softmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        SoftmaxKernels.softmaxBackward(dx.data(), dy.data(), y.data(), outer, n, inner);
    }

    @Override
    public void logSoftmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        SoftmaxKernels.logSoftmaxForward(y.data(), x.data(), outer, n, inner);
    }

    @Override
    public void logSoftmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        SoftmaxKernels.logSoftmaxBackward(dx.data(), dy.data(), y.data(), outer, n, inner);
    }

    @Override
    public float crossEntropyForward(Tensor probs, Tensor logits, Indices labels, int batch, int n) {
        return SoftmaxKernels.crossEntropyForward(probs.data(), logits.data(), labels.array(), batch, n);
    }

    @Override
    public void crossEntropyBackward(Tensor dlogits, Tensor probs, Indices labels, int batch, int n) {
        SoftmaxKernels.crossEntropyBackward(dlogits.data(), probs.data(), labels.array(), batch, n);
    }

    // ---- pooling and dropout ------------------------------------------------------------------

    @Override
    public void poolForward(Tensor y, Indices argmax, Tensor x, PoolWindows w, boolean max, boolean countIncludePad) {
        PoolKernels.forward(y.data(), max ? argmax.array() : null, x.data(), w.planes(), w.in()[0], w.in()[1], w.in()[2],
                table(w, 0), table(w, 1), table(w, 2), max, countIncludePad);
    }

    @Override
    public void poolBackward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w, boolean max, boolean countIncludePad) {
        PoolKernels.backward(dx.data(), dy.data(), max ? argmax.array() : null, w.planes(), w.in()[0], w.in()[1],
                w.in()[2], table(w, 0), table(w, 1), table(w, 2), max, countIncludePad);
    }

    private static int[] table(PoolWindows w, int d) {
        return PoolKernels.windows(w.in()[d], w.out()[d], w.kernel()[d], w.stride()[d], w.padding()[d]);
    }

    @Override
    public void dropoutMask(Tensor mask, long stream, double keep) {
        float[] m = mask.data();
        if (Simd.dropoutMask(m, stream, keep)) { // the same mask, in vectors
            return;
        }
        Parallel.forRange((m.length + 16383) / 16384, 4L * 16384, c -> {
            for (int i = c * 16384, end = Math.min(m.length, i + 16384); i < end; i++) {
                m[i] = layerlab.tensor.Rng.uniform(stream, i) <= keep ? 1f : 0f;
            }
        });
    }

    @Override
    public void dropoutApply(Tensor y, Tensor x, long stream, double keep, float scale) {
        float[] out = y.data();
        float[] in = x.data();
        if (Simd.dropoutApply(out, in, stream, keep, scale)) { // the same draw, in vectors
            return;
        }
        Parallel.forRange((in.length + 16383) / 16384, 4L * 16384, c -> {
            for (int i = c * 16384, end = Math.min(in.length, i + 16384); i < end; i++) {
                out[i] = layerlab.tensor.Rng.uniform(stream, i) <= keep ? in[i] * scale : 0f;
            }
        });
    }

    @Override
    public void dropoutForward(Tensor y, Tensor x, Tensor mask, float scale) {
        DropoutKernels.forward(y.data(), x.data(), mask.data(), scale, x.numel());
    }

    @Override
    public void dropoutBackward(Tensor dx, Tensor dy, Tensor mask, float scale) {
        DropoutKernels.backward(dx.data(), dy.data(), mask.data(), scale, dy.numel());
    }

    @Override
    public void scale(Tensor y, Tensor x, float scale) {
        DropoutKernels.scale(y.data(), x.data(), scale, x.numel());
    }

    // ---- normalization ------------------------------------------------------------------------

    @Override
    public void batchNormStats(Tensor mean, Tensor var, Tensor x, int n, int c, int s) {
        NormKernels.batchNormStats(mean.data(), var.data(), x.data(), n, c, s);
    }

    @Override
    public void rstd(Tensor rstd, Tensor var, int c, float eps) {
        NormKernels.rstd(rstd.data(), var.data(), c, eps);
    }

    @Override
    public void batchNormForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta,
                                 int n, int c, int s) {
        NormKernels.batchNormForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s);
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int c, int s, boolean batchStatistics) {
        NormKernels.batchNormBackward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(),
                rstd.data(), gamma.data(), n, c, s, batchStatistics);
    }

    @Override
    public void runningUpdate(Tensor runMean, Tensor runVar, Tensor mean, Tensor var, int c, float keep,
                              float varScale) {
        NormKernels.runningUpdate(runMean.data(), runVar.data(), mean.data(), var.data(), c, keep, varScale);
    }

    @Override
    public void groupNormForward(Tensor y, Tensor mean, Tensor var, Tensor rstd, Tensor x, Tensor gamma, Tensor beta,
                                 int n, int g, int d, int span, float eps) {
        NormKernels.groupNormForward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), host(gamma), host(beta),
                n, g, d, span, eps);
    }

    @Override
    public void groupNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int g, int d, int span) {
        NormKernels.groupNormBackward(dx.data(), host(dgamma), host(dbeta), dy.data(), x.data(), mean.data(),
                rstd.data(), host(gamma), n, g, d, span);
    }

    // ---- optimizer steps ---------------------------------------------------------------------

    @Override
    public void sgdStep(Tensor p, Tensor dp, Tensor v, float lr, float momentum, float weightDecay) {
        OptimKernels.sgdStep(p.data(), dp.data(), v.data(), lr, momentum, weightDecay, p.numel());
    }

    @Override
    public void adamStep(Tensor p, Tensor dp, Tensor m, Tensor v, double beta1, double beta2, double stepSize,
                         double sqrtCorrection2, double eps, double weightDecay) {
        OptimKernels.adamStep(p.data(), dp.data(), m.data(), v.data(), beta1, beta2, stepSize, sqrtCorrection2, eps,
                weightDecay, p.numel());
    }

    // ---- convolution --------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias,
                              int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        ConvKernels.conv2dForward(y.data(), x.data(), w.data(), host(bias), n, c, h, wd, o, k, stride, pad, oh, ow);
    }

    @Override
    public void conv2dBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w,
                               int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        ConvKernels.conv2dBackward(host(dx), dw.data(), host(dbias), dy.data(), x.data(), w.data(),
                n, c, h, wd, o, k, stride, pad, oh, ow);
    }

    /** The host array of an optional tensor (bias, γ, β may be absent). */
    private static float[] host(Tensor t) {
        return t == null ? null : t.data();
    }
}
