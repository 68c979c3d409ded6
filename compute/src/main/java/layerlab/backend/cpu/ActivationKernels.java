package layerlab.backend.cpu;

import layerlab.backend.Pointwise;

/**
 * Elementwise activations on flat arrays, forward and backward side by side.
 *
 * <p>Every method takes (out…, in…, sizes…) in llm.c's order; backward methods take
 * (dIn…, dOut, what forward kept…). These are the reference loops: readable first; at the end,
 * {@link #forward} and {@link #backward} say which loop each {@link Pointwise} function runs.
 * The build compiles this file a second time in double precision as {@code ActivationKernels64}
 * for the gradient checks (see this package's documentation), so use only float, Float.*, Math
 * and the Pointwise enum here.
 */
@SuppressWarnings("cast") // in the float64 twin the (float)→(double) casts become redundant
public final class ActivationKernels {
    private ActivationKernels() {}

    // ReLU(x) = max(0, x)

    /** y[i] = max(0, x[i]). NOTE: tested as x ≤ 0, not x &gt; 0: NaN is not ≤ 0, so it stays NaN (as in PyTorch). */
    public static void reluForward(float[] y, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] <= 0f ? 0f : x[i];
        }
    }

    /** dx[i] = dy[i] where x[i] > 0, else 0 (the subgradient at 0 is 0; at NaN dy passes, as in PyTorch). */
    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] <= 0f ? 0f : dy[i];
        }
    }

    // Elementwise loops are split into chunks of CHUNK elements and run in parallel when large.
    private static final int CHUNK = 1 << 14;

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    // Sigmoid σ(x) = 1 / (1 + e^−x)

    /**
     * σ(x) without overflow: for x ≥ 0, 1/(1+e^−x); for x &lt; 0, e^x/(1+e^x) (the same value,
     * but e^x ≤ 1 never overflows, and no 1 − (tiny) cancellation for x ≪ 0).
     */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return 1f / (1f + (float) Math.exp(-x));
        }
        float e = (float) Math.exp(x);
        return e / (1f + e);
    }

    /** y[i] = σ(x[i]). */
    public static void sigmoidForward(float[] y, float[] x, int n) {
        Parallel.forRange(chunks(n), 20L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = sigmoid(x[i]);
            }
        });
    }

    /** dx[i] = dy[i]·y[i]·(1 − y[i]), from forward's output y = σ(x). */
    public static void sigmoidBackward(float[] dx, float[] dy, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    // Tanh: tanh(x) = 2σ(2x) − 1

    /** y[i] = tanh(x[i]). */
    public static void tanhForward(float[] y, float[] x, int n) {
        Parallel.forRange(chunks(n), 20L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = (float) Math.tanh(x[i]);
            }
        });
    }

    /** dx[i] = dy[i]·(1 − y[i]²), from forward's output y = tanh(x). */
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }

    // Leaky ReLU: LReLU(x) = (x < 0)·αx + (x ≥ 0)·x

    /** y[i] = x[i] if x[i] &gt; 0, else α·x[i]. */
    public static void leakyReluForward(float[] y, float[] x, float alpha, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0f ? x[i] : alpha * x[i];
        }
    }

    /** dx[i] = dy[i] if x[i] &gt; 0, else α·dy[i] (at 0 the slope α, as in PyTorch). */
    public static void leakyReluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
        }
    }

    // PReLU: LReLU with a learnable α, one per channel (channels = 1: one shared α)
    // x, y: (outer, channels, inner) flattened; alpha: (channels)

    /** y = x where x &gt; 0, else α_c·x, with c the channel of the element. */
    public static void preluForward(float[] y, float[] x, float[] alpha, int outer, int channels, int inner) {
        Parallel.forRange(outer * channels, 2L * inner, oc -> {
            float a = alpha[oc % channels];
            for (int i = oc * inner, end = i + inner; i < end; i++) {
                y[i] = x[i] > 0f ? x[i] : a * x[i];
            }
        });
    }

    /**
     * dx = dy where x &gt; 0, else α_c·dy; dα_c += Σ dy·x over the elements of channel c with
     * x ≤ 0 (accumulated, like every parameter gradient).
     */
    public static void preluBackward(float[] dx, float[] dalpha, float[] dy, float[] x, float[] alpha,
                                     int outer, int channels, int inner) {
        Parallel.forRange(channels, 3L * outer * inner, c -> {
            float a = alpha[c];
            double sum = 0; // NOTE: a sum over N·H·W terms; double keeps it exact enough in float32
            for (int o = 0; o < outer; o++) {
                for (int i = (o * channels + c) * inner, end = i + inner; i < end; i++) {
                    if (x[i] > 0f) {
                        dx[i] = dy[i];
                    } else {
                        dx[i] = a * dy[i];
                        sum += dy[i] * x[i];
                    }
                }
            }
            dalpha[c] += (float) sum;
        });
    }

    // ELU(x) = (x < 0)·α(e^x − 1) + (x ≥ 0)·x

    /** y[i] = x[i] if x[i] &gt; 0, else α·(e^x − 1) (expm1: accurate for small |x|; NaN gives NaN). */
    public static void eluForward(float[] y, float[] x, float alpha, int n) {
        Parallel.forRange(chunks(n), 20L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] > 0f ? x[i] : alpha * (float) Math.expm1(x[i]);
            }
        });
    }

    /** dx[i] = dy[i] if x[i] &gt; 0, else dy[i]·α·e^x (NaN at x = NaN, as in libtorch's vector loop). */
    public static void eluBackward(float[] dx, float[] dy, float[] x, float alpha, int n) {
        Parallel.forRange(chunks(n), 20L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                dx[i] = x[i] > 0f ? dy[i] : dy[i] * alpha * (float) Math.exp(x[i]);
            }
        });
    }

    // Maxout: y[o, j, s] = max over the k pieces c = j·k … j·k+k−1 of x[o, c, s]
    // x: (outer, channels, inner); y: (outer, channels/k, inner); piece: like y, the winner 0…k−1

    /** Max over each group of k consecutive channels; the first maximum wins a tie, a NaN wins over numbers. */
    public static void maxoutForward(float[] y, int[] piece, float[] x, int outer, int channels, int k, int inner) {
        int groups = channels / k;
        Parallel.forRange(outer * groups, (long) k * inner, og -> {
            int base = og * k * inner; // (o, j·k, 0) in x, because o·channels + j·k = og·k
            for (int s = 0; s < inner; s++) {
                float best = x[base + s];
                int arg = 0;
                for (int p = 1; p < k; p++) {
                    float v = x[base + p * inner + s];
                    if (v > best || v != v) { // NaN propagates, as in pooling
                        best = v;
                        arg = p;
                    }
                }
                y[og * inner + s] = best;
                piece[og * inner + s] = arg;
            }
        });
    }

    /** dx = dy routed to the winning piece; the other pieces get 0. */
    public static void maxoutBackward(float[] dx, float[] dy, int[] piece, int outer, int channels, int k, int inner) {
        int groups = channels / k;
        Parallel.forRange(outer * groups, (long) k * inner, og -> {
            int base = og * k * inner;
            for (int s = 0; s < inner; s++) {
                for (int p = 0; p < k; p++) {
                    dx[base + p * inner + s] = 0f;
                }
                dx[base + piece[og * inner + s] * inner + s] = dy[og * inner + s];
            }
        });
    }

    // GELU(x) = x·Φ(x), Φ(x) = ½·erfc(−x/√2): the exact (erf) form, libtorch's default

    private static final float SQRT_HALF = 0.70710678118654752440084436210485f;
    private static final float INV_SQRT_2PI = 0.39894228040143267793994605993438f;
    private static final float TWO_OVER_SQRT_PI = 1.1283791670955125738961589031215f;
    private static final float INV_SQRT_PI = 0.56418958354775628694807945156077f;

    /** Φ(x), the standard normal CDF, through erfc so that Φ(x ≪ 0) keeps its relative accuracy. */
    public static float normalCdf(float x) {
        return 0.5f * erfc(-x * SQRT_HALF);
    }

    /**
     * erf(z). For |z| &lt; 2.5 the series erf(z) = 2/√π·e^(−z²)·Σₙ z·(2z²)ⁿ / (1·3·…·(2n+1)):
     * all terms positive (no cancellation), summed until a term no longer changes the sum —
     * so the same loop stops near 1e-7 in float and near 1e-16 in double (≤ 37 terms).
     * Beyond, 1 − erfc(|z|) with the continued fraction below.
     */
    public static float erf(float z) {
        if (Math.abs(z) < 2.5f) {
            return erfSeries(z);
        }
        float tail = erfcFraction(Math.abs(z));
        return z > 0f ? 1f - tail : tail - 1f;
    }

    /** erfc(z) = 1 − erf(z); relative accuracy kept in the tail z ≥ 2.5. */
    public static float erfc(float z) {
        if (z >= 2.5f) {
            return erfcFraction(z);
        }
        if (z <= -2.5f) {
            return 2f - erfcFraction(-z);
        }
        return 1f - erfSeries(z); // erf(z) < 0.9996 here: at most ~3.4 digits lost near z = 2.5
    }

    private static float erfSeries(float z) {
        float z2 = z * z;
        float term = z;
        float sum = z;
        for (int n = 1; n < 80; n++) {
            term = term * 2f * z2 / (2 * n + 1);
            float next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * (float) Math.exp(-z2) * sum;
    }

    /**
     * erfc(z) for z ≥ 2.5 by Laplace's continued fraction
     * erfc(z) = e^(−z²)/√π · 1/(z + ½/(z + 1/(z + (3/2)/(z + 2/(z + …))))),
     * evaluated bottom-up from 40 levels: converged to double precision for z ≥ 2.5.
     */
    private static float erfcFraction(float z) {
        float f = z;
        for (int k = 40; k >= 1; k--) {
            f = z + (0.5f * k) / f;
        }
        return INV_SQRT_PI * (float) Math.exp(-z * z) / f;
    }

    /** y[i] = x·Φ(x). */
    public static void geluForward(float[] y, float[] x, int n) {
        Parallel.forRange(chunks(n), 100L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] * normalCdf(x[i]);
            }
        });
    }

    /** dx[i] = dy[i]·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π). */
    public static void geluBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange(chunks(n), 120L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                float v = x[i];
                float pdf = INV_SQRT_2PI * (float) Math.exp(-0.5f * v * v);
                dx[i] = dy[i] * (normalCdf(v) + v * pdf);
            }
        });
    }

    // SiLU(x) = x·σ(x)

    /** y[i] = x·σ(x). */
    public static void siluForward(float[] y, float[] x, int n) {
        Parallel.forRange(chunks(n), 20L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] * sigmoid(x[i]);
            }
        });
    }

    /** dx[i] = dy[i]·σ(x)·(1 + x·(1 − σ(x))). */
    public static void siluBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange(chunks(n), 25L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                float s = sigmoid(x[i]);
                dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
            }
        });
    }

    // ---- which loop each Pointwise function runs (what CpuBackend calls without a fast path) ----

    /** y = f(x) by the loop above; alpha is used by LEAKY_RELU and ELU only. */
    public static void forward(Pointwise f, float[] y, float[] x, float alpha, int n) {
        switch (f) {
            case RELU -> reluForward(y, x, n);
            case SIGMOID -> sigmoidForward(y, x, n);
            case TANH -> tanhForward(y, x, n);
            case LEAKY_RELU -> leakyReluForward(y, x, alpha, n);
            case ELU -> eluForward(y, x, alpha, n);
            case GELU -> geluForward(y, x, n);
            case SILU -> siluForward(y, x, n);
            default -> throw new IllegalArgumentException("ActivationKernels.forward: no loop listed for " + f);
        }
    }

    /** dx = dy·f′ by the loop above, from what forward kept (x, or y for SIGMOID and TANH). */
    public static void backward(Pointwise f, float[] dx, float[] dy, float[] kept, float alpha, int n) {
        switch (f) {
            case RELU -> reluBackward(dx, dy, kept, n);
            case SIGMOID -> sigmoidBackward(dx, dy, kept, n);
            case TANH -> tanhBackward(dx, dy, kept, n);
            case LEAKY_RELU -> leakyReluBackward(dx, dy, kept, alpha, n);
            case ELU -> eluBackward(dx, dy, kept, alpha, n);
            case GELU -> geluBackward(dx, dy, kept, n);
            case SILU -> siluBackward(dx, dy, kept, n);
            default -> throw new IllegalArgumentException("ActivationKernels.backward: no loop listed for " + f);
        }
    }
}
