package layerlab.backend;

import java.util.List;
import layerlab.tensor.DeviceMemory;
import layerlab.tensor.Tensor;

/**
 * The backend SPI: one method per kernel, forward above backward, outputs first and gradients
 * prefixed d, with the arguments of the CPU reference loop of the same name (float[] there is a
 * {@link Tensor} here, int[] an {@link Indices}; element counts come from the tensors). Shapes
 * and modes travel as records and enums ({@link PoolWindows}, {@link ConvShape},
 * {@link Pointwise}). Every argument lives on {@link #device()}. Parameter gradients (dalpha,
 * da, dgamma, …) accumulate; other outputs are overwritten — exactly as on the CPU.
 *
 * <p>Implementations: {@code cpu.CpuBackend} (the reference loops, or a Vector API fast path
 * where one accepts the shape) and {@code opencl.OpenClBackend}; which file computes what is
 * listed in this package's README.md. They are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/layerlab.backend.Backend}); the parity tests compare them kernel by kernel.
 */
public interface Backend extends DeviceMemory {
    /** The devices this backend drives (empty when unavailable). */
    List<DeviceInfo> devices();

    /** Host↔device copies so far (0 on the CPU): lets a test prove a network ran without round trips. */
    long transfers();

    // ---- memory (zeros, copy, upload, download: DeviceMemory) ----
    void fill(Tensor t, float value);
    Indices indices(int length);                // new (uninitialized) indices here
    Indices upload(int[] host);
    int[] read(Indices idx);
    void axpy(Tensor y, float a, Tensor x);     // y += a·x (gradient accumulation, SGD)
    /** count blocks of block values: dst[dstStart + i·dstStride + j] = src[srcStart + i·srcStride + j] (Concat). */
    void copyBlocks(Tensor dst, int dstStart, int dstStride, Tensor src, int srcStart, int srcStride, int block, int count);

    // ---- activations (ActivationKernels) ----
    /** y = f(x); alpha is LeakyReLU's slope or ELU's α, ignored by the other functions. */
    void activationForward(Pointwise f, Tensor y, Tensor x, float alpha);
    /** dx = dy·f′, from what forward kept: x, or y for the functions that say {@link Pointwise.Keeps#OUTPUT}. */
    void activationBackward(Pointwise f, Tensor dx, Tensor dy, Tensor kept, float alpha);
    void preluForward(Tensor y, Tensor x, Tensor alpha, int outer, int channels, int inner);
    void preluBackward(Tensor dx, Tensor dalpha, Tensor dy, Tensor x, Tensor alpha, int outer, int channels, int inner);
    void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner);
    void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner);

    // ---- fully connected (LinearKernels): y (B,out) = x (B,in)·aᵀ + bias; bias may be null ----
    void linearForward(Tensor y, Tensor x, Tensor a, Tensor bias, int batch, int in, int out);
    void linearBackward(Tensor dx, Tensor da, Tensor dbias, Tensor dy, Tensor x, Tensor a, int batch, int in, int out);

    // ---- softmax along an axis, x seen as (outer, n, inner); cross entropy (SoftmaxKernels) ----
    void softmaxForward(Tensor y, Tensor x, int outer, int n, int inner);
    void softmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner);
    void logSoftmaxForward(Tensor y, Tensor x, int outer, int n, int inner);
    void logSoftmaxBackward(Tensor dx, Tensor dy, Tensor y, int outer, int n, int inner);
    float crossEntropyForward(Tensor probs, Tensor logits, Indices labels, int batch, int n);
    void crossEntropyBackward(Tensor dlogits, Tensor probs, Indices labels, int batch, int n);

    // ---- pooling (PoolKernels): the windows and the mode in one record; argmax for MAX only ----
    void poolForward(Tensor y, Indices argmax, Tensor x, PoolWindows w);
    void poolBackward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w); // dx overwritten

    // ---- dropout (DropoutKernels; the draw of layerlab.tensor.Rng, as Dropout defines it) ----
    void dropoutMask(Tensor mask, long stream, double keep);  // mask[i] = Rng.uniform(stream, i) <= keep ? 1 : 0
    /** y[i] = x[i]·scale if Rng.uniform(stream, i) ≤ keep, else 0: the mask drawn where it is applied. */
    void dropoutApply(Tensor y, Tensor x, long stream, double keep, float scale);
    void dropoutForward(Tensor y, Tensor x, Tensor mask, float scale);
    void dropoutBackward(Tensor dx, Tensor dy, Tensor mask, float scale);
    void scale(Tensor y, Tensor x, float scale);

    // ---- normalization (NormKernels): batch norm x (n, c, s); group norm x (n, g, d) ----
    void batchNormStats(Tensor mean, Tensor var, Tensor x, int n, int c, int s);
    void rstd(Tensor rstd, Tensor var, int c, float eps);
    void batchNormForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta, int n, int c, int s);
    void batchNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd,
                           Tensor gamma, int n, int c, int s, boolean batchStatistics);
    void runningUpdate(Tensor runMean, Tensor runVar, Tensor mean, Tensor var, int c, float keep, float varScale);
    void groupNormForward(Tensor y, Tensor mean, Tensor var, Tensor rstd, Tensor x, Tensor gamma, Tensor beta,
                          int n, int g, int d, int span, float eps);
    void groupNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd,
                           Tensor gamma, int n, int g, int d, int span);

    /**
     * y = max(0, batch norm of x with fixed statistics), one pass (FusedKernels; nn.Fused).
     * Default: the two kernels one after the other — the same arithmetic.
     */
    default void batchNormReluForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta,
                                      int n, int c, int s) {
        batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
        activationForward(Pointwise.RELU, y, y, 0f);
    }

    // ---- optimizer steps (OptimKernels): the parameter p and its state (v, m) updated in place ----
    void sgdStep(Tensor p, Tensor dp, Tensor v, float lr, float momentum, float weightDecay);
    void adamStep(Tensor p, Tensor dp, Tensor m, Tensor v, double beta1, double beta2, double stepSize,
                  double sqrtCorrection2, double eps, double weightDecay);

    // ---- convolution (ConvKernels): x (n,c,h,w), w (o,c,k,k), y (n,o,oh,ow); bias may be null ----
    void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvShape s);
    /** dx overwritten, or skipped when null (parameters only); dw, dbias accumulate. */
    void conv2dBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w, ConvShape s);
}
