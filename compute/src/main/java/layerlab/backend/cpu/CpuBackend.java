package layerlab.backend.cpu;

import java.util.List;
import java.util.Optional;
import layerlab.backend.Backend;
import layerlab.backend.ConvShape;
import layerlab.backend.DeviceInfo;
import layerlab.backend.Indices;
import layerlab.backend.Pointwise;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.vec.VecActivation;
import layerlab.backend.cpu.vec.VecConv;
import layerlab.backend.cpu.vec.VecDropout;
import layerlab.backend.cpu.vec.VecGemv;
import layerlab.backend.cpu.vec.VecLinear;
import layerlab.backend.cpu.vec.VecNorm;
import layerlab.backend.cpu.vec.VecNormRows;
import layerlab.backend.cpu.vec.VecPool;
import layerlab.backend.cpu.vec.VecSoftmax;
import layerlab.backend.cpu.vec.VecSoftmaxRows;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * The CPU backend, and the one place that picks a loop: each method runs the Vector API fast
 * path ({@code vec.Vec*}) when {@link Simd} is on and that path accepts the shape, else the
 * readable reference loop ({@code *Kernels}) — which knows nothing of the fast one. Always available.
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

    /** Whether the fast paths run at all (the switch; a fast path may still decline a shape). */
    private static boolean fast() {
        return Simd.enabled();
    }

    // ---- memory: host arrays, nothing to copy ----------------------------------------------

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
    public void activationForward(Pointwise f, Tensor y, Tensor x, float alpha) {
        if (fast() && VecActivation.accepts(f)) {
            VecActivation.forward(f, y.data(), x.data(), alpha, x.numel());
        } else {
            ActivationKernels.forward(f, y.data(), x.data(), alpha, x.numel());
        }
    }

    @Override
    public void activationBackward(Pointwise f, Tensor dx, Tensor dy, Tensor kept, float alpha) {
        if (fast() && VecActivation.accepts(f)) {
            VecActivation.backward(f, dx.data(), dy.data(), kept.data(), alpha, kept.numel());
        } else {
            ActivationKernels.backward(f, dx.data(), dy.data(), kept.data(), alpha, kept.numel());
        }
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
    public void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner) {
        ActivationKernels.maxoutForward(y.data(), piece.array(), x.data(), outer, channels, k, inner);
    }

    @Override
    public void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner) {
        ActivationKernels.maxoutBackward(dx.data(), dy.data(), piece.array(), outer, channels, k, inner);
    }

    // ---- fully connected, softmax, cross entropy ----------------------------------------------

    /** Aᵀ scratch of the reference linearForward, kept per thread and grown as needed (one allocation, not one per call). */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void linearForward(Tensor y, Tensor x, Tensor a, Tensor bias, int batch, int in, int out) {
        if (fast() && VecGemv.accepts(batch)) { // batch 1 … 4: matrix-vector products, outputs over the threads
            VecGemv.forward(y.data(), x.data(), a.data(), host(bias), batch, in, out);
            return;
        }
        if (fast()) {
            VecLinear.forward(y.data(), x.data(), a.data(), host(bias), batch, in, out);
            return;
        }
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
        if (fast()) {
            VecLinear.backward(dx.data(), da.data(), host(dbias), dy.data(), x.data(), a.data(), batch, in, out);
        } else {
            LinearKernels.linearBackward(dx.data(), da.data(), host(dbias), dy.data(), x.data(), a.data(), batch, in, out);
        }
    }

    @Override
    public void softmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        if (fast() && VecSoftmax.accepts(inner)) {
            VecSoftmax.forward(y.data(), x.data(), outer, n, inner);
        } else if (fast() && VecSoftmaxRows.accepts(inner)) {
            VecSoftmaxRows.softmaxForward(y.data(), x.data(), outer, n);
        } else {
            SoftmaxKernels.softmaxForward(y.data(), x.data(), outer, n, inner);
        }
    }

    @Override
    public void softmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        if (fast() && VecSoftmax.accepts(inner)) {
            VecSoftmax.backward(dx.data(), dy.data(), y.data(), outer, n, inner);
        } else if (fast() && VecSoftmaxRows.accepts(inner)) {
            VecSoftmaxRows.softmaxBackward(dx.data(), dy.data(), y.data(), outer, n);
        } else {
            SoftmaxKernels.softmaxBackward(dx.data(), dy.data(), y.data(), outer, n, inner);
        }
    }

    @Override
    public void logSoftmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        if (fast() && VecSoftmaxRows.accepts(inner)) {
            VecSoftmaxRows.logSoftmaxForward(y.data(), x.data(), outer, n);
        } else {
            SoftmaxKernels.logSoftmaxForward(y.data(), x.data(), outer, n, inner);
        }
    }

    @Override
    public void logSoftmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        if (fast() && VecSoftmaxRows.accepts(inner)) {
            VecSoftmaxRows.logSoftmaxBackward(dx.data(), dy.data(), y.data(), outer, n);
        } else {
            SoftmaxKernels.logSoftmaxBackward(dx.data(), dy.data(), y.data(), outer, n, inner);
        }
    }

    @Override
    public float crossEntropyForward(Tensor probs, Tensor logits, Indices labels, int batch, int n) {
        if (fast()) { // logits (B, N): always rows of contiguous values
            return VecSoftmaxRows.crossEntropyForward(probs.data(), logits.data(), labels.array(), batch, n);
        }
        return SoftmaxKernels.crossEntropyForward(probs.data(), logits.data(), labels.array(), batch, n);
    }

    @Override
    public void crossEntropyBackward(Tensor dlogits, Tensor probs, Indices labels, int batch, int n) {
        if (fast()) {
            VecSoftmaxRows.crossEntropyBackward(dlogits.data(), probs.data(), labels.array(), batch, n);
        } else {
            SoftmaxKernels.crossEntropyBackward(dlogits.data(), probs.data(), labels.array(), batch, n);
        }
    }

    // ---- pooling and dropout ------------------------------------------------------------------

    @Override
    public void poolForward(Tensor y, Indices argmax, Tensor x, PoolWindows w) {
        if (fast() && VecPool.accepts(w)) {
            VecPool.forward(y.data(), host(argmax), x.data(), w);
        } else {
            PoolKernels.forward(y.data(), host(argmax), x.data(), w);
        }
    }

    @Override
    public void poolBackward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w) {
        if (fast() && VecPool.acceptsBackward(w)) {
            VecPool.backward(dx.data(), dy.data(), w);
        } else {
            PoolKernels.backward(dx.data(), dy.data(), host(argmax), w);
        }
    }

    @Override
    public void dropoutMask(Tensor mask, long stream, double keep) {
        if (fast()) {
            VecDropout.mask(mask.data(), stream, keep, mask.numel());
        } else {
            DropoutKernels.mask(mask.data(), stream, keep, mask.numel());
        }
    }

    @Override
    public void dropoutApply(Tensor y, Tensor x, long stream, double keep, float scale) {
        if (fast()) {
            VecDropout.apply(y.data(), x.data(), stream, keep, scale, x.numel());
        } else {
            DropoutKernels.apply(y.data(), x.data(), stream, keep, scale, x.numel());
        }
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
        if (fast() && VecNormRows.accepts(s)) { // rank 2 (s = 1) and small planes: vectors across the channels
            VecNormRows.batchNormStats(mean.data(), var.data(), x.data(), n, c, s);
        } else if (fast()) {
            VecNorm.batchNormStats(mean.data(), var.data(), x.data(), n, c, s);
        } else {
            NormKernels.batchNormStats(mean.data(), var.data(), x.data(), n, c, s);
        }
    }

    @Override
    public void rstd(Tensor rstd, Tensor var, int c, float eps) {
        NormKernels.rstd(rstd.data(), var.data(), c, eps);
    }

    @Override
    public void batchNormForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta,
                                 int n, int c, int s) {
        if (fast() && VecNormRows.accepts(s)) {
            VecNormRows.batchNormForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s,
                    false);
        } else if (fast()) {
            VecNorm.batchNormForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s);
        } else {
            NormKernels.batchNormForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s);
        }
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int c, int s, boolean batchStatistics) {
        if (fast() && VecNormRows.accepts(s)) {
            VecNormRows.batchNormBackward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(),
                    rstd.data(), gamma.data(), n, c, s, batchStatistics);
        } else if (fast()) {
            VecNorm.batchNormBackward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(),
                    rstd.data(), gamma.data(), n, c, s, batchStatistics);
        } else {
            NormKernels.batchNormBackward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(),
                    rstd.data(), gamma.data(), n, c, s, batchStatistics);
        }
    }

    @Override
    public void batchNormReluForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta,
                                     int n, int c, int s) {
        if (fast() && VecNormRows.accepts(s)) {
            VecNormRows.batchNormForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s,
                    true);
        } else if (fast()) {
            VecNorm.batchNormReluForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(), n, c, s);
        } else {
            FusedKernels.batchNormReluForward(y.data(), x.data(), mean.data(), rstd.data(), gamma.data(), beta.data(),
                    n, c, s);
        }
    }

    @Override
    public void runningUpdate(Tensor runMean, Tensor runVar, Tensor mean, Tensor var, int c, float keep,
                              float varScale) {
        NormKernels.runningUpdate(runMean.data(), runVar.data(), mean.data(), var.data(), c, keep, varScale);
    }

    @Override
    public void groupNormForward(Tensor y, Tensor mean, Tensor var, Tensor rstd, Tensor x, Tensor gamma, Tensor beta,
                                 int n, int g, int d, int span, float eps) {
        if (fast()) {
            VecNorm.groupNormForward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), host(gamma), host(beta),
                    n, g, d, span, eps);
        } else {
            NormKernels.groupNormForward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), host(gamma),
                    host(beta), n, g, d, span, eps);
        }
    }

    @Override
    public void groupNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int g, int d, int span) {
        if (fast()) {
            VecNorm.groupNormBackward(dx.data(), host(dgamma), host(dbeta), dy.data(), x.data(), mean.data(),
                    rstd.data(), host(gamma), n, g, d, span);
        } else {
            NormKernels.groupNormBackward(dx.data(), host(dgamma), host(dbeta), dy.data(), x.data(), mean.data(),
                    rstd.data(), host(gamma), n, g, d, span);
        }
    }

    // ---- optimizer steps, convolution ---------------------------------------------------------

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

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvShape s) {
        if (fast()) {
            VecConv.forward(y.data(), x.data(), w.data(), host(bias), s);
        } else {
            ConvKernels.conv2dForward(y.data(), x.data(), w.data(), host(bias), s);
        }
    }

    @Override
    public void conv2dBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w, ConvShape s) {
        if (fast()) {
            VecConv.backward(host(dx), dw.data(), host(dbias), dy.data(), x.data(), w.data(), s);
        } else {
            ConvKernels.conv2dBackward(host(dx), dw.data(), host(dbias), dy.data(), x.data(), w.data(), s);
        }
    }

    /** The host array of an optional tensor or indices (bias, γ, β, argmax may be absent). */
    private static float[] host(Tensor t) {
        return t == null ? null : t.data();
    }

    private static int[] host(Indices idx) {
        return idx == null ? null : idx.array();
    }
}
