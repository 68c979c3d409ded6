package layerlab.backend.opencl;

import java.util.List;
import java.util.Optional;
import layerlab.backend.Backend;
import layerlab.backend.ConvShape;
import layerlab.backend.DeviceInfo;
import layerlab.backend.Indices;
import layerlab.backend.Pointwise;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Device;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;
import org.jocl.CL;

/**
 * The OpenCL backend: every kernel is OpenCL C ({@code resources/layerlab/backend/opencl/*.cl},
 * one file per kernel family, launched by the Cl* class of the same stem: ClPool runs pool.cl),
 * specialized on shapes with {@code -D} defines and compiled by the driver on first use, then
 * cached per (family, defines, device). Tensors stay on the device between layers; only
 * {@code to(Device.CPU)} reads them back.
 *
 * <p>The platform is the first one (preferring a GPU device) whose name contains the system
 * property {@code layerlab.opencl.platform} or the environment variable
 * {@code LAYERLAB_OPENCL_PLATFORM} (e.g. "NVIDIA", "Portable"); any platform when neither is set.
 * Without OpenCL the backend is unavailable and {@link #unavailableReason()} says why.
 */
public final class OpenClBackend implements Backend {
    private ClRuntime runtime;   // guarded by this; null until first use or after release()
    private String reason;       // guarded by this; why OpenCL cannot run here, once known
    private final ClLaunch cl = new ClLaunch(this);
    private final ClActivation act = new ClActivation(cl);
    private final ClDropout dropout = new ClDropout(cl);
    private final ClOptim optim = new ClOptim(cl);
    private final ClLinear linear = new ClLinear(cl);
    private final ClSoftmax softmax = new ClSoftmax(cl);
    private final ClPool pool = new ClPool(cl);
    private final ClNorm norm = new ClNorm(cl, this);
    private final ClConv conv = new ClConv(cl, linear, this);

    @Override
    public Device device() {
        return Device.OPENCL;
    }

    @Override
    public synchronized Optional<String> unavailableReason() {
        if (runtime != null && !runtime.released()) {
            return Optional.empty();
        }
        if (reason == null) {
            try {
                runtime = ClRuntime.open(platformFilter());
            } catch (LinkageError e) {
                reason = "no OpenCL library could be loaded (" + e + ")";
            } catch (ClException e) {
                reason = e.getMessage() + (e.status() == CL.CL_PLATFORM_NOT_FOUND_KHR
                        ? ": an OpenCL loader is installed but no driver is registered in /etc/OpenCL/vendors" : "");
            } catch (IllegalStateException e) {
                reason = e.getMessage();
            }
        }
        return Optional.ofNullable(reason);
    }

    /** The platform name filter: system property layerlab.opencl.platform, else $LAYERLAB_OPENCL_PLATFORM. */
    static String platformFilter() {
        String env = System.getenv("LAYERLAB_OPENCL_PLATFORM");
        return System.getProperty("layerlab.opencl.platform", env == null ? "" : env);
    }

    /** The open runtime; fails with the reason when OpenCL cannot run here. */
    synchronized ClRuntime rt() {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException("OpenCL is unavailable: " + why.get());
        }
        return runtime;
    }

    @Override
    public List<DeviceInfo> devices() {
        if (unavailableReason().isPresent()) {
            return List.of();
        }
        ClRuntime r = rt();
        return List.of(new DeviceInfo(Device.OPENCL, r.deviceName + " [" + r.platformName + "]", r.deviceType,
                r.globalMemory, r.computeUnits, r.deviceVersion));
    }

    @Override
    public long transfers() {
        return rt().transfers.get();
    }

    /**
     * Releases the OpenCL context: tensors still on the device become unusable (a clear error
     * names the device); the next use opens a fresh context.
     */
    public synchronized void release() {
        if (runtime != null) {
            runtime.release();
        }
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Tensor zeros(int... shape) {
        ClRuntime r = rt();
        ClBuffer b = r.alloc(Shapes.numel(shape));
        r.fill(b, 0f);
        return Tensor.onDevice(b, shape);
    }

    /** A new tensor whose values are not yet written (every kernel output here is fully written). */
    Tensor empty(int... shape) {
        return Tensor.onDevice(rt().alloc(Shapes.numel(shape)), shape);
    }

    @Override
    public Tensor copy(Tensor x) {
        Tensor y = empty(x.shape());
        rt().copy(cl.buf(y), cl.buf(x));
        return y;
    }

    @Override
    public void fill(Tensor t, float value) {
        rt().fill(cl.buf(t), value);
    }

    @Override
    public Tensor upload(Tensor host) {
        Tensor y = empty(host.shape());
        rt().write(cl.buf(y), host.data());
        return y;
    }

    @Override
    public Tensor download(Tensor x) {
        float[] out = new float[x.numel()];
        rt().read(cl.buf(x), out);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Indices indices(int length) {
        return Indices.onDevice(rt().alloc(length));
    }

    @Override
    public Indices upload(int[] host) {
        ClBuffer b = rt().alloc(host.length);
        rt().write(b, host);
        return Indices.onDevice(b);
    }

    @Override
    public int[] read(Indices idx) {
        int[] out = new int[idx.length()];
        rt().read(cl.buf(idx), out);
        return out;
    }

    /** Waits for the queue to drain (benchmarks time kernels, not enqueues). */
    public void finish() {
        rt().finish();
    }

    @Override
    public void axpy(Tensor y, float a, Tensor x) {
        cl.run1("elementwise", "-DN=" + y.numel(), "axpy", y.numel(), cl.buf(y), a, cl.buf(x));
    }

    @Override
    public void copyBlocks(Tensor dst, int dstStart, int dstStride, Tensor src, int srcStart, int srcStride, int block,
                           int count) {
        long n = (long) block * count;
        cl.run1("elementwise", "-DN=" + n + " -DBLOCK=" + block, "copy_blocks", n, cl.buf(dst), dstStart, dstStride,
                cl.buf(src), srcStart, srcStride);
    }

    /** The counter-based uniforms of {@code Rng.uniform(seed, i)} computed on the device. */
    Tensor rngUniform(long seed, int... shape) {
        Tensor y = empty(shape);
        cl.run1("elementwise", "-DN=" + y.numel(), "rng_uniform_fill", y.numel(), cl.buf(y), seed);
        return y;
    }

    // ---- activations ------------------------------------------------------------------------

    @Override
    public void activationForward(Pointwise f, Tensor y, Tensor x, float alpha) {
        act.forward(f, y, x, alpha);
    }

    @Override
    public void activationBackward(Pointwise f, Tensor dx, Tensor dy, Tensor kept, float alpha) {
        act.backward(f, dx, dy, kept, alpha);
    }

    @Override
    public void preluForward(Tensor y, Tensor x, Tensor alpha, int outer, int channels, int inner) {
        act.preluForward(y, x, alpha, outer, channels, inner);
    }

    @Override
    public void preluBackward(Tensor dx, Tensor dalpha, Tensor dy, Tensor x, Tensor alpha, int outer, int channels,
                              int inner) {
        act.preluBackward(dx, dalpha, dy, x, alpha, outer, channels, inner);
    }

    @Override
    public void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner) {
        act.maxoutForward(y, piece, x, outer, channels, k, inner);
    }

    @Override
    public void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner) {
        act.maxoutBackward(dx, dy, piece, outer, channels, k, inner);
    }

    // ---- fully connected, softmax, cross entropy ----------------------------------------------

    @Override
    public void linearForward(Tensor y, Tensor x, Tensor a, Tensor bias, int batch, int in, int out) {
        linear.linearForward(y, x, a, bias, batch, in, out);
    }

    @Override
    public void linearBackward(Tensor dx, Tensor da, Tensor dbias, Tensor dy, Tensor x, Tensor a, int batch, int in,
                               int out) {
        linear.linearBackward(dx, da, dbias, dy, x, a, batch, in, out);
    }

    @Override
    public void softmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        softmax.rows("softmax_forward", y, x, null, outer, n, inner);
    }

    @Override
    public void softmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        softmax.rows("softmax_backward", dx, dy, y, outer, n, inner);
    }

    @Override
    public void logSoftmaxForward(Tensor y, Tensor x, int outer, int n, int inner) {
        softmax.rows("log_softmax_forward", y, x, null, outer, n, inner);
    }

    @Override
    public void logSoftmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner) {
        softmax.rows("log_softmax_backward", dx, dy, y, outer, n, inner);
    }

    @Override
    public float crossEntropyForward(Tensor probs, Tensor logits, Indices labels, int batch, int n) {
        return softmax.crossEntropyForward(this, probs, logits, labels, batch, n);
    }

    @Override
    public void crossEntropyBackward(Tensor dlogits, Tensor probs, Indices labels, int batch, int n) {
        softmax.crossEntropyBackward(dlogits, probs, labels, batch, n);
    }

    // ---- pooling and dropout ------------------------------------------------------------------

    @Override
    public void poolForward(Tensor y, Indices argmax, Tensor x, PoolWindows w) {
        pool.forward(y, argmax, x, w);
    }

    @Override
    public void poolBackward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w) {
        pool.backward(dx, dy, argmax, w);
    }

    @Override
    public void dropoutMask(Tensor mask, long stream, double keep) {
        dropout.mask(mask, stream, keep);
    }

    @Override
    public void dropoutApply(Tensor y, Tensor x, long stream, double keep, float scale) {
        dropout.apply(y, x, stream, keep, scale);
    }

    @Override
    public void dropoutForward(Tensor y, Tensor x, Tensor mask, float scale) {
        dropout.forward(y, x, mask, scale);
    }

    @Override
    public void dropoutBackward(Tensor dx, Tensor dy, Tensor mask, float scale) {
        dropout.forward(dx, dy, mask, scale);
    }

    @Override
    public void scale(Tensor y, Tensor x, float scale) {
        dropout.scale(y, x, scale);
    }

    // ---- normalization ------------------------------------------------------------------------

    @Override
    public void batchNormStats(Tensor mean, Tensor var, Tensor x, int n, int c, int s) {
        norm.batchNormStats(mean, var, x, n, c, s);
    }

    @Override
    public void rstd(Tensor rstd, Tensor var, int c, float eps) {
        norm.rstd(rstd, var, c, eps);
    }

    @Override
    public void batchNormForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta,
                                 int n, int c, int s) {
        norm.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int c, int s, boolean batchStatistics) {
        norm.batchNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, c, s, batchStatistics);
    }

    @Override
    public void runningUpdate(Tensor runMean, Tensor runVar, Tensor mean, Tensor var, int c, float keep,
                              float varScale) {
        norm.runningUpdate(runMean, runVar, mean, var, c, keep, varScale);
    }

    @Override
    public void groupNormForward(Tensor y, Tensor mean, Tensor var, Tensor rstd, Tensor x, Tensor gamma, Tensor beta,
                                 int n, int g, int d, int span, float eps) {
        norm.groupNormForward(y, mean, var, rstd, x, gamma, beta, n, g, d, span, eps);
    }

    @Override
    public void groupNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean,
                                  Tensor rstd, Tensor gamma, int n, int g, int d, int span) {
        norm.groupNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, g, d, span);
    }

    // ---- optimizer steps ---------------------------------------------------------------------

    @Override
    public void sgdStep(Tensor p, Tensor dp, Tensor v, float lr, float momentum, float weightDecay) {
        optim.sgdStep(p, dp, v, lr, momentum, weightDecay);
    }

    @Override
    public void adamStep(Tensor p, Tensor dp, Tensor m, Tensor v, double beta1, double beta2, double stepSize,
                         double sqrtCorrection2, double eps, double weightDecay) {
        optim.adamStep(p, dp, m, v, beta1, beta2, stepSize, sqrtCorrection2, eps, weightDecay);
    }

    // ---- convolution --------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvShape s) {
        conv.forward(y, x, w, bias, s);
    }

    @Override
    public void conv2dBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w, ConvShape s) {
        conv.backward(dx, dw, dbias, dy, x, w, s);
    }

    /** Tests: how many chunks per channel the batch-norm statistics use (0: chosen for the device). */
    void statisticsParts(int parts) {
        norm.forcedParts = parts;
    }

    /** The forward algorithm of Conv2d here (im2col + GEMM by default; DIRECT is the slow twin). */
    void convAlgorithm(ClConv.Algorithm a) {
        conv.algorithm = a;
    }
}
