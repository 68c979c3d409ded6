package layerlab.backend;

import java.util.List;
import java.util.Optional;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * The backend SPI: one method per kernel, forward above backward, outputs first and gradients
 * prefixed d, with the int arguments of the CPU kernel of the same name
 * ({@code layerlab.backend.cpu.*Kernels}); float[] there is a {@link Tensor} here, int[] an
 * {@link Indices}, and element counts come from the tensors. Every argument lives on
 * {@link #device()}. Parameter gradients (dalpha, da, dgamma, …) accumulate; other outputs are
 * overwritten — exactly as on the CPU.
 *
 * <p>The CPU backend is the reference and calls those loops. Other backends (OpenCL; a TornadoVM
 * one would be one more module) are found with {@link java.util.ServiceLoader}; the parity
 * tests compare them with the CPU kernel by kernel.
 */
public interface Backend {
    Device device();

    /** Empty when the backend can run here; otherwise why not (no loader, no platform, …). */
    Optional<String> unavailableReason();

    /** The devices this backend drives (empty when unavailable). */
    List<DeviceInfo> devices();

    /** Host↔device copies so far (0 on the CPU): lets a test prove a network ran without round trips. */
    long transfers();

    // ---- memory ----
    Tensor zeros(int... shape);                 // a new zero tensor here
    Tensor copy(Tensor x);                      // a deep copy here
    void fill(Tensor t, float value);
    Tensor upload(Tensor host);                 // CPU tensor → here
    Tensor download(Tensor x);                  // here → new CPU tensor
    Indices indices(int length);                // new (uninitialized) indices here
    Indices upload(int[] host);
    int[] read(Indices idx);
    void axpy(Tensor y, float a, Tensor x);     // y += a·x (gradient accumulation, SGD)
    /** count blocks of block values: dst[dstStart + i·dstStride + j] = src[srcStart + i·srcStride + j] (Concat). */
    void copyBlocks(Tensor dst, int dstStart, int dstStride, Tensor src, int srcStart, int srcStride, int block, int count);

    // ---- activations (ActivationKernels) ----
    void reluForward(Tensor y, Tensor x);
    void reluBackward(Tensor dx, Tensor dy, Tensor x);
    void sigmoidForward(Tensor y, Tensor x);
    void sigmoidBackward(Tensor dx, Tensor dy, Tensor y);
    void tanhForward(Tensor y, Tensor x);
    void tanhBackward(Tensor dx, Tensor dy, Tensor y);
    void leakyReluForward(Tensor y, Tensor x, float alpha);
    void leakyReluBackward(Tensor dx, Tensor dy, Tensor x, float alpha);
    void preluForward(Tensor y, Tensor x, Tensor alpha, int outer, int channels, int inner);
    void preluBackward(Tensor dx, Tensor dalpha, Tensor dy, Tensor x, Tensor alpha, int outer, int channels, int inner);
    void eluForward(Tensor y, Tensor x, float alpha);
    void eluBackward(Tensor dx, Tensor dy, Tensor x, float alpha);
    void maxoutForward(Tensor y, Indices piece, Tensor x, int outer, int channels, int k, int inner);
    void maxoutBackward(Tensor dx, Tensor dy, Indices piece, int outer, int channels, int k, int inner);
    void geluForward(Tensor y, Tensor x);
    void geluBackward(Tensor dx, Tensor dy, Tensor x);
    void siluForward(Tensor y, Tensor x);
    void siluBackward(Tensor dx, Tensor dy, Tensor x);

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

    // ---- pooling (PoolKernels): x (planes, inT, inH, inW), windows per dimension ----
    void poolForward(Tensor y, Indices argmax, Tensor x, PoolWindows windows, boolean max, boolean countIncludePad);
    void poolBackward(Tensor dx, Tensor dy, Indices argmax, PoolWindows windows, boolean max, boolean countIncludePad); // dx overwritten

    // ---- dropout (DropoutKernels; the mask from layerlab.tensor.Rng, as Dropout draws it) ----
    void dropoutMask(Tensor mask, long stream, double keep);  // mask[i] = Rng.uniform(stream, i) <= keep ? 1 : 0
    void dropoutForward(Tensor y, Tensor x, Tensor mask, float scale);
    void dropoutBackward(Tensor dx, Tensor dy, Tensor mask, float scale);
    void scale(Tensor y, Tensor x, float scale);

    /**
     * Dropout with the mask drawn where it is applied: y[i] = x[i]·scale if
     * Rng.uniform(stream, i) ≤ keep, else 0 — the same values as dropoutMask then
     * dropoutForward, without a mask tensor. Backward calls it with (dx, dy): the same draw.
     * Default: through a mask tensor.
     */
    default void dropoutApply(Tensor y, Tensor x, long stream, double keep, float scale) {
        Tensor mask = zeros(x.shape());
        dropoutMask(mask, stream, keep);
        dropoutForward(y, x, mask, scale);
    }

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

    // ---- optimizer steps (OptimKernels): the parameter p and its state (v, m) updated in place ----
    void sgdStep(Tensor p, Tensor dp, Tensor v, float lr, float momentum, float weightDecay);
    void adamStep(Tensor p, Tensor dp, Tensor m, Tensor v, double beta1, double beta2, double stepSize,
                  double sqrtCorrection2, double eps, double weightDecay);

    // ---- convolution (ConvKernels): x (n,c,h,w), w (o,c,k,k), y (n,o,oh,ow); bias may be null ----
    void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias,
                       int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow);
    /** dx overwritten, or skipped when null (parameters only); dw, dbias accumulate. */
    void conv2dBackward(Tensor dx, Tensor dw, Tensor dbias, Tensor dy, Tensor x, Tensor w,
                        int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow);
}
