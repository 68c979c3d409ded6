package layerlab.backend.cpu;

/**
 * Softmax, log-softmax and cross entropy over one axis, forward and backward side by side.
 *
 * <p>The tensor is seen as (outer, n, inner): n values along the axis, {@code inner} = the
 * product of the dimensions after it (1 for the last axis). Each (o, s) is one row of n values
 * spaced {@code inner} apart. Rows are processed a slab (o fixed, all s) at a time so that every
 * inner loop runs over contiguous memory; the per-row max and sum live in two scratch arrays of
 * length inner, one pair per task. Numerically stable: the row's maximum is subtracted before exp,
 * every sum over the axis runs in double (a float sum of 1000 terms drifts by ~1e-6), and
 * log-softmax is (x − m) − log Σ, so that logits near ±1000 keep float's digits.
 * Compiled a second time in double precision as {@code SoftmaxKernels64} (see compute/pom.xml).
 */
@SuppressWarnings("cast") // in the float64 twin the (float)→(double) casts become redundant
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** Slabs (values of o) one task handles; the scratch arrays are allocated once per task. */
    private static final int SLABS = 16;

    // Softmax(x)_i = e^(x_i − m) / Σ_k e^(x_k − m), m = max_k x_k

    /** y = softmax(x) along the axis. */
    public static void softmaxForward(float[] y, float[] x, int outer, int n, int inner) {
        Parallel.forRange((outer + SLABS - 1) / SLABS, 25L * SLABS * n * inner, t -> {
            float[] max = new float[inner];
            double[] sum = new double[inner]; // NOTE: in double: a float sum of 1000 terms drifts by ~1e-6
            for (int o = t * SLABS, oEnd = Math.min(outer, o + SLABS); o < oEnd; o++) {
                int base = o * n * inner;
                rowMax(max, x, base, n, inner);
                clear(sum);
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        float e = (float) Math.exp(x[at + s] - max[s]);
                        y[at + s] = e;
                        sum[s] += e;
                    }
                }
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        y[at + s] = (float) (y[at + s] / sum[s]);
                    }
                }
            }
        });
    }

    /** dx = y·(dy − Σ_k dy_k·y_k), from forward's output y. */
    public static void softmaxBackward(float[] dx, float[] dy, float[] y, int outer, int n, int inner) {
        Parallel.forRange((outer + SLABS - 1) / SLABS, 5L * SLABS * n * inner, t -> {
            double[] dot = new double[inner];
            for (int o = t * SLABS, oEnd = Math.min(outer, o + SLABS); o < oEnd; o++) {
                int base = o * n * inner;
                clear(dot);
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        dot[s] += dy[at + s] * y[at + s];
                    }
                }
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        dx[at + s] = y[at + s] * (dy[at + s] - (float) dot[s]);
                    }
                }
            }
        });
    }

    // LogSoftmax(x)_i = (x_i − m) − log Σ_k e^(x_k − m)

    /** y = log softmax(x) along the axis. */
    public static void logSoftmaxForward(float[] y, float[] x, int outer, int n, int inner) {
        Parallel.forRange((outer + SLABS - 1) / SLABS, 25L * SLABS * n * inner, t -> {
            float[] max = new float[inner];
            double[] sum = new double[inner];
            float[] logSum = new float[inner];
            for (int o = t * SLABS, oEnd = Math.min(outer, o + SLABS); o < oEnd; o++) {
                int base = o * n * inner;
                rowMax(max, x, base, n, inner);
                clear(sum);
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        sum[s] += (float) Math.exp(x[at + s] - max[s]);
                    }
                }
                for (int s = 0; s < inner; s++) {
                    logSum[s] = (float) Math.log(sum[s]); // log Σ e^(x − m), between 0 and log n
                }
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        // NOTE: (x − m) − log Σ, not x − (m + log Σ): at |x| ~ 1000 the rounded
                        // m + log Σ carries an error of up to ulp(1000)/2 ≈ 3e-5 into every y
                        y[at + s] = (x[at + s] - max[s]) - logSum[s];
                    }
                }
            }
        });
    }

    /** dx = dy − e^y·Σ_k dy_k (e^y is the softmax), from forward's output y. */
    public static void logSoftmaxBackward(float[] dx, float[] dy, float[] y, int outer, int n, int inner) {
        Parallel.forRange((outer + SLABS - 1) / SLABS, 25L * SLABS * n * inner, t -> {
            double[] total = new double[inner];
            for (int o = t * SLABS, oEnd = Math.min(outer, o + SLABS); o < oEnd; o++) {
                int base = o * n * inner;
                clear(total);
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        total[s] += dy[at + s];
                    }
                }
                for (int c = 0; c < n; c++) {
                    int at = base + c * inner;
                    for (int s = 0; s < inner; s++) {
                        dx[at + s] = dy[at + s] - (float) Math.exp(y[at + s]) * (float) total[s];
                    }
                }
            }
        });
    }

    /** max[s] = max over c of x[base + c·inner + s]. */
    private static void rowMax(float[] max, float[] x, int base, int n, int inner) {
        for (int s = 0; s < inner; s++) {
            max[s] = x[base + s];
        }
        for (int c = 1; c < n; c++) {
            int at = base + c * inner;
            for (int s = 0; s < inner; s++) {
                if (x[at + s] > max[s]) {
                    max[s] = x[at + s];
                }
            }
        }
    }

    private static void clear(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = 0;
        }
    }

    // Cross entropy from logits z (B,N) and labels (B): L = 1/B · Σ_i (log Σ_k e^(z_ik) − z_i,label)

    /**
     * Fills probs (B,N) with softmax(z) and returns the mean loss. Each row's loss is
     * log Σ_k e^(z_k − m) − (z_label − m): both terms are O(log N) even for logits near ±1000.
     * Labels must already be checked to lie in [0, N).
     */
    public static float crossEntropyForward(float[] probs, float[] logits, int[] labels, int batch, int n) {
        softmaxForward(probs, logits, batch, n, 1);
        double total = 0; // NOTE: the mean over the batch is summed in double, then rounded once
        for (int i = 0; i < batch; i++) {
            int row = i * n;
            float m = logits[row];
            for (int c = 1; c < n; c++) {
                m = Math.max(m, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < n; c++) {
                sum += (float) Math.exp(logits[row + c] - m);
            }
            total += (float) Math.log(sum) - (logits[row + labels[i]] - m);
        }
        return (float) (total / batch);
    }

    /** dz = (probs − onehot(label)) / B, from forward's probabilities. */
    public static void crossEntropyBackward(float[] dlogits, float[] probs, int[] labels, int batch, int n) {
        float scale = 1.0f / batch; // NOTE: not 1f: the float64 twin turns that into 1 / batch, an int division
        for (int i = 0; i < batch; i++) {
            int row = i * n;
            for (int c = 0; c < n; c++) {
                dlogits[row + c] = probs[row + c] * scale;
            }
            dlogits[row + labels[i]] -= scale;
        }
    }
}
