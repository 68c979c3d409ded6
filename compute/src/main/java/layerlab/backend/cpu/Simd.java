package layerlab.backend.cpu;

import layerlab.backend.cpu.vec.VecActivation;
import layerlab.backend.cpu.vec.VecConv;
import layerlab.backend.cpu.vec.VecDropout;
import layerlab.backend.cpu.vec.VecGemm;
import layerlab.backend.cpu.vec.VecLinear;
import layerlab.backend.cpu.vec.VecNorm;
import layerlab.backend.cpu.vec.VecPool;
import layerlab.backend.cpu.vec.VecRng;
import layerlab.backend.cpu.vec.VecSoftmax;

/**
 * The switch between the Vector API fast paths ({@code layerlab.backend.cpu.vec}) and the scalar
 * reference loops of the {@code *Kernels} classes, and the dispatch from one to the other.
 *
 * <p>A reference loop asks first: {@code if (Simd.reluForward(y, x, n)) return;}. The float[]
 * overload runs the fast path and returns true when SIMD is on; the double[] overload always
 * returns false, so the float64 twins ({@code *Kernels64}, what the gradient checks run) always
 * run the readable scalar loop. Parity tests compare the two in float32.
 *
 * <p>On by default when the {@code jdk.incubator.vector} module is present (the JVM was started
 * with {@code --add-modules jdk.incubator.vector}); {@code -Dlayerlab.simd=false} or
 * {@link #setEnabled(boolean)} forces the scalar twins. Without the module the scalar loops run
 * and one notice says so.
 */
public final class Simd {
    private Simd() {}

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static volatile boolean enabled = initial();

    private static boolean initial() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("layerlab.simd", "true"));
        if (wanted && !AVAILABLE) {
            System.err.println("layerlab: the jdk.incubator.vector module is not present (start the JVM with"
                    + " --add-modules jdk.incubator.vector); using the scalar kernels");
        }
        return wanted && AVAILABLE;
    }

    /** Whether the Vector API module is present in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Whether the fast paths run. */
    public static boolean enabled() {
        return enabled;
    }

    /** Turns the fast paths on or off (off: the scalar twins run). On needs {@link #available()}. */
    public static void setEnabled(boolean on) {
        if (on && !AVAILABLE) {
            throw new IllegalStateException("Simd.setEnabled(true): expected the jdk.incubator.vector module"
                    + " (--add-modules jdk.incubator.vector), got a JVM without it");
        }
        enabled = on;
    }

    // ---- GEMM (ConvKernels: serial, C overwritten; LinearKernels: parallel, C accumulated) ----

    /** ConvKernels.gemmNN: C (m, nn) = A (m, kk) · B (kk, nn). */
    public static boolean gemmNN(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        if (!enabled) {
            return false;
        }
        VecGemm.gemm(false, false, m, nn, kk, a, aOff, kk, bm, bOff, nn, cm, cOff, nn, false, false);
        return true;
    }

    public static boolean gemmNN(double[] cm, int cOff, double[] a, int aOff, double[] bm, int bOff, int m, int nn, int kk) {
        return false;
    }

    /** ConvKernels.gemmNT: C (m, nn) = A (m, kk) · B (nn, kk)ᵀ. */
    public static boolean gemmNT(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        if (!enabled) {
            return false;
        }
        VecGemm.gemm(false, true, m, nn, kk, a, aOff, kk, bm, bOff, kk, cm, cOff, nn, false, false);
        return true;
    }

    public static boolean gemmNT(double[] cm, int cOff, double[] a, int aOff, double[] bm, int bOff, int m, int nn, int kk) {
        return false;
    }

    /** ConvKernels.gemmTN: C (m, nn) = A (kk, m)ᵀ · B (kk, nn). */
    public static boolean gemmTN(float[] cm, int cOff, float[] a, int aOff, float[] bm, int bOff, int m, int nn, int kk) {
        if (!enabled) {
            return false;
        }
        VecGemm.gemm(true, false, m, nn, kk, a, aOff, m, bm, bOff, nn, cm, cOff, nn, false, false);
        return true;
    }

    public static boolean gemmTN(double[] cm, int cOff, double[] a, int aOff, double[] bm, int bOff, int m, int nn, int kk) {
        return false;
    }

    /** LinearKernels.matmulNN: c (m, n) += a (m, k) · b (k, n), in parallel. */
    public static boolean matmulNN(float[] c, float[] a, float[] b, int m, int n, int k) {
        if (!enabled) {
            return false;
        }
        VecGemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, true, true);
        return true;
    }

    public static boolean matmulNN(double[] c, double[] a, double[] b, int m, int n, int k) {
        return false;
    }

    /** LinearKernels.matmulTN: c (m, n) += aᵀ · b, a: (k, m), b: (k, n), in parallel. */
    public static boolean matmulTN(float[] c, float[] a, float[] b, int m, int n, int k) {
        if (!enabled) {
            return false;
        }
        VecGemm.gemm(true, false, m, n, k, a, 0, m, b, 0, n, c, 0, n, true, true);
        return true;
    }

    public static boolean matmulTN(double[] c, double[] a, double[] b, int m, int n, int k) {
        return false;
    }

    /** LinearKernels.linearForward without the transpose: y = x · aᵀ + bias, a: (out, in) read as is. */
    public static boolean linearForward(float[] y, float[] x, float[] a, float[] bias, int batch, int in, int out) {
        if (!enabled) {
            return false;
        }
        if (VecLinear.fits(in, out)) {
            VecLinear.forward(y, x, a, bias, batch, in, out);
            return true;
        }
        for (int i = 0; i < batch; i++) {
            if (bias == null) {
                java.util.Arrays.fill(y, i * out, (i + 1) * out, 0f);
            } else {
                System.arraycopy(bias, 0, y, i * out, out);
            }
        }
        VecGemm.gemm(false, true, batch, out, in, x, 0, in, a, 0, in, y, 0, out, true, true);
        return true;
    }

    public static boolean linearForward(double[] y, double[] x, double[] a, double[] bias, int batch, int in, int out) {
        return false;
    }

    /** LinearKernels.linearBackward for few outputs (see VecLinear); other shapes go through matmulNN/TN. */
    public static boolean linearBackward(float[] dx, float[] da, float[] dbias, float[] dy, float[] x, float[] a,
                                         int batch, int in, int out) {
        if (!enabled || !VecLinear.fitsBackward(in, out)) {
            return false;
        }
        VecLinear.backward(dx, da, dbias, dy, x, a, batch, in, out);
        return true;
    }

    public static boolean linearBackward(double[] dx, double[] da, double[] dbias, double[] dy, double[] x, double[] a,
                                         int batch, int in, int out) {
        return false;
    }

    // ---- convolution ----

    /** ConvKernels.conv2dForward. */
    public static boolean conv2dForward(float[] y, float[] x, float[] w, float[] bias,
                                        int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        if (!enabled) {
            return false;
        }
        VecConv.forward(y, x, w, bias, n, c, h, wd, o, k, stride, pad, oh, ow);
        return true;
    }

    public static boolean conv2dForward(double[] y, double[] x, double[] w, double[] bias,
                                        int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        return false;
    }

    /** ConvKernels.conv2dBackward. */
    public static boolean conv2dBackward(float[] dx, float[] dw, float[] dbias, float[] dy, float[] x, float[] w,
                                         int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        if (!enabled) {
            return false;
        }
        VecConv.backward(dx, dw, dbias, dy, x, w, n, c, h, wd, o, k, stride, pad, oh, ow);
        return true;
    }

    public static boolean conv2dBackward(double[] dx, double[] dw, double[] dbias, double[] dy, double[] x, double[] w,
                                         int n, int c, int h, int wd, int o, int k, int stride, int pad, int oh, int ow) {
        return false;
    }

    // ---- elementwise activations (ActivationKernels) ----

    public static boolean reluForward(float[] y, float[] x, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.reluForward(y, x, n);
        return true;
    }

    public static boolean reluForward(double[] y, double[] x, int n) {
        return false;
    }

    public static boolean reluBackward(float[] dx, float[] dy, float[] x, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.reluBackward(dx, dy, x, n);
        return true;
    }

    public static boolean reluBackward(double[] dx, double[] dy, double[] x, int n) {
        return false;
    }

    public static boolean leakyReluForward(float[] y, float[] x, float alpha, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.leakyReluForward(y, x, alpha, n);
        return true;
    }

    public static boolean leakyReluForward(double[] y, double[] x, double alpha, int n) {
        return false;
    }

    public static boolean leakyReluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.leakyReluBackward(dx, dy, x, alpha, n);
        return true;
    }

    public static boolean leakyReluBackward(double[] dx, double[] dy, double[] x, double alpha, int n) {
        return false;
    }

    public static boolean eluForward(float[] y, float[] x, float alpha, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.eluForward(y, x, alpha, n);
        return true;
    }

    public static boolean eluForward(double[] y, double[] x, double alpha, int n) {
        return false;
    }

    public static boolean eluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.eluBackward(dx, dy, x, alpha, n);
        return true;
    }

    public static boolean eluBackward(double[] dx, double[] dy, double[] x, double alpha, int n) {
        return false;
    }

    public static boolean sigmoidForward(float[] y, float[] x, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.sigmoidForward(y, x, n);
        return true;
    }

    public static boolean sigmoidForward(double[] y, double[] x, int n) {
        return false;
    }

    public static boolean sigmoidBackward(float[] dx, float[] dy, float[] y, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.sigmoidBackward(dx, dy, y, n);
        return true;
    }

    public static boolean sigmoidBackward(double[] dx, double[] dy, double[] y, int n) {
        return false;
    }

    public static boolean tanhForward(float[] y, float[] x, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.tanhForward(y, x, n);
        return true;
    }

    public static boolean tanhForward(double[] y, double[] x, int n) {
        return false;
    }

    public static boolean tanhBackward(float[] dx, float[] dy, float[] y, int n) {
        if (!enabled) {
            return false;
        }
        VecActivation.tanhBackward(dx, dy, y, n);
        return true;
    }

    public static boolean tanhBackward(double[] dx, double[] dy, double[] y, int n) {
        return false;
    }

    // ---- pooling (PoolKernels) ----

    /** PoolKernels.forward for 2D pooling (T = 1) with at least two windows inside a row. */
    public static boolean poolForward(float[] y, int[] argmax, float[] x, int planes, int inT, int inH, int inW,
                                      int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        if (!enabled || inT != 1 || winT.length != 3 || !VecPool.supported()) {
            return false;
        }
        // rows narrower than a vector of outputs go to forward2d: measured faster there (28×28 inputs: 0.44 vs 0.55 ms)
        if (VecPool.is2x2(winH, winW) && winW.length / 3 >= 16) {
            VecPool.forward2x2(y, argmax, x, planes, inH, inW, winH, winW, max, countIncludePad);
            return true;
        }
        return VecPool.forward2d(y, argmax, x, planes, inH, inW, winH, winW, max, countIncludePad);
    }

    public static boolean poolForward(double[] y, int[] argmax, double[] x, int planes, int inT, int inH, int inW,
                                      int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        return false;
    }

    /** PoolKernels.backward for average pooling with 2×2 windows, stride 2, no padding (T = 1). */
    public static boolean poolBackward(float[] dx, float[] dy, int[] argmax, int planes, int inT, int inH, int inW,
                                       int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        if (!enabled || max || inT != 1 || winT.length != 3 || !VecPool.supported() || !VecPool.is2x2(winH, winW)) {
            return false;
        }
        VecPool.avgBackward2x2(dx, dy, planes, inH, inW, winH, winW);
        return true;
    }

    public static boolean poolBackward(double[] dx, double[] dy, int[] argmax, int planes, int inT, int inH, int inW,
                                       int[] winT, int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        return false;
    }

    // ---- normalization (NormKernels) ----

    public static boolean batchNormStats(float[] mean, float[] var, float[] x, int n, int c, int s) {
        if (!enabled) {
            return false;
        }
        VecNorm.batchNormStats(mean, var, x, n, c, s);
        return true;
    }

    public static boolean batchNormStats(double[] mean, double[] var, double[] x, int n, int c, int s) {
        return false;
    }

    public static boolean batchNormForward(float[] y, float[] x, float[] mean, float[] rstd, float[] gamma, float[] beta, int n, int c, int s) {
        if (!enabled) {
            return false;
        }
        VecNorm.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
        return true;
    }

    public static boolean batchNormForward(double[] y, double[] x, double[] mean, double[] rstd, double[] gamma, double[] beta, int n, int c, int s) {
        return false;
    }

    public static boolean batchNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x, float[] mean, float[] rstd, float[] gamma, int n, int c, int s, boolean batchStatistics) {
        if (!enabled) {
            return false;
        }
        VecNorm.batchNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, c, s, batchStatistics);
        return true;
    }

    public static boolean batchNormBackward(double[] dx, double[] dgamma, double[] dbeta, double[] dy, double[] x, double[] mean, double[] rstd, double[] gamma, int n, int c, int s, boolean batchStatistics) {
        return false;
    }

    public static boolean groupNormForward(float[] y, float[] mean, float[] var, float[] rstd, float[] x, float[] gamma, float[] beta, int n, int g, int d, int span, float eps) {
        if (!enabled) {
            return false;
        }
        VecNorm.groupNormForward(y, mean, var, rstd, x, gamma, beta, n, g, d, span, eps);
        return true;
    }

    public static boolean groupNormForward(double[] y, double[] mean, double[] var, double[] rstd, double[] x, double[] gamma, double[] beta, int n, int g, int d, int span, double eps) {
        return false;
    }

    public static boolean groupNormBackward(float[] dx, float[] dgamma, float[] dbeta, float[] dy, float[] x, float[] mean, float[] rstd, float[] gamma, int n, int g, int d, int span) {
        if (!enabled) {
            return false;
        }
        VecNorm.groupNormBackward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, n, g, d, span);
        return true;
    }

    public static boolean groupNormBackward(double[] dx, double[] dgamma, double[] dbeta, double[] dy, double[] x, double[] mean, double[] rstd, double[] gamma, int n, int g, int d, int span) {
        return false;
    }

    /** FusedKernels.batchNormReluForward. */
    public static boolean batchNormReluForward(float[] y, float[] x, float[] mean, float[] rstd,
                                               float[] gamma, float[] beta, int n, int c, int s) {
        if (!enabled) {
            return false;
        }
        VecNorm.batchNormReluForward(y, x, mean, rstd, gamma, beta, n, c, s);
        return true;
    }

    public static boolean batchNormReluForward(double[] y, double[] x, double[] mean, double[] rstd,
                                               double[] gamma, double[] beta, int n, int c, int s) {
        return false;
    }

    // ---- softmax over an inner axis (SoftmaxKernels), dropout mask (layerlab.nn.Dropout) ----

    /** SoftmaxKernels.softmaxForward when the axis has at least 16 positions after it (vectors across them). */
    public static boolean softmaxForward(float[] y, float[] x, int outer, int n, int inner) {
        if (!enabled || inner < 16) {
            return false;
        }
        VecSoftmax.forward(y, x, outer, n, inner);
        return true;
    }

    public static boolean softmaxForward(double[] y, double[] x, int outer, int n, int inner) {
        return false;
    }

    /** SoftmaxKernels.softmaxBackward, same condition. */
    public static boolean softmaxBackward(float[] dx, float[] dy, float[] y, int outer, int n, int inner) {
        if (!enabled || inner < 16) {
            return false;
        }
        VecSoftmax.backward(dx, dy, y, outer, n, inner);
        return true;
    }

    public static boolean softmaxBackward(double[] dx, double[] dy, double[] y, int outer, int n, int inner) {
        return false;
    }

    /** Dropout's mask: mask[i] = 1 if Rng.uniform(stream, i) ≤ p else 0, bit for bit. */
    /** CpuBackend.dropoutApply: y = x·scale where Rng.uniform(stream, i) ≤ keep, else 0. */
    public static boolean dropoutApply(float[] y, float[] x, long stream, double keep, float scale) {
        if (!enabled) {
            return false;
        }
        VecDropout.apply(y, x, stream, keep, scale, x.length);
        return true;
    }

    public static boolean dropoutMask(float[] mask, long stream, double p) {
        if (!enabled) {
            return false;
        }
        VecRng.dropoutMask(mask, stream, p);
        return true;
    }
}
