package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code SoftmaxKernels} over the LAST axis (inner = 1): logits (B, N), each row
 * N contiguous values — what every classifier ends in. {@link VecSoftmax} runs its vectors across
 * the positions after the axis and has none here; these loops run them along the row instead:
 * per row a vector max, one pass of {@link VecMath#exp} (≤ 2 ulp) that writes e^(x − m) and sums
 * it in lanes, one pass that scales (softmax) or subtracts (log-softmax); rows in parallel.
 * Log-softmax is (x − m) − log Σ, as the scalar loop. The sums run in lanes, where the scalar
 * loop adds left to right: the parity test bounds the difference (1e-6 relative).
 */
public final class VecSoftmaxRows {
    private VecSoftmaxRows() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Whether these loops take the shape: rows of contiguous values (softmax over the last axis). */
    public static boolean accepts(int inner) {
        return inner == 1;
    }

    // ---- one row x[off … off+n) ----

    /**
     * The row's maximum with the scalar loop's rule: start from x[0], a value replaces the
     * maximum only if greater — so a NaN enters only as x[0] (then the whole row is NaN).
     */
    static float rowMax(float[] x, int off, int n) {
        FloatVector mx = FloatVector.broadcast(S, x[off]);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            mx = mx.blend(v, v.compare(VectorOperators.GT, mx));
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, off + i, m);
            mx = mx.blend(v, v.compare(VectorOperators.GT, mx).and(m));
        }
        float r = mx.lane(0);
        for (int k = 1; k < L; k++) {
            if (mx.lane(k) > r) {
                r = mx.lane(k);
            }
        }
        return r;
    }

    /**
     * y = e^(x − m) over the row (y may be null: only the sum); returns Σ e^(x − m). Four lane
     * accumulators: with 128-bit vectors one would add 250 terms per lane for N = 1000 and drift
     * by ~1e-6; four keep it near 60, as one does on AVX-512.
     */
    static float expSum(float[] y, float[] x, int off, int n, float max) {
        FloatVector acc = FloatVector.zero(S);
        FloatVector acc1 = acc, acc2 = acc, acc3 = acc;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            FloatVector e0 = VecMath.exp(FloatVector.fromArray(S, x, off + i).sub(max));
            FloatVector e1 = VecMath.exp(FloatVector.fromArray(S, x, off + i + L).sub(max));
            FloatVector e2 = VecMath.exp(FloatVector.fromArray(S, x, off + i + 2 * L).sub(max));
            FloatVector e3 = VecMath.exp(FloatVector.fromArray(S, x, off + i + 3 * L).sub(max));
            if (y != null) {
                e0.intoArray(y, off + i);
                e1.intoArray(y, off + i + L);
                e2.intoArray(y, off + i + 2 * L);
                e3.intoArray(y, off + i + 3 * L);
            }
            acc = acc.add(e0);
            acc1 = acc1.add(e1);
            acc2 = acc2.add(e2);
            acc3 = acc3.add(e3);
        }
        acc = acc.add(acc1).add(acc2.add(acc3));
        for (; i <= n - L; i += L) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, off + i).sub(max));
            if (y != null) {
                e.intoArray(y, off + i);
            }
            acc = acc.add(e);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, off + i, m).sub(max));
            if (y != null) {
                e.intoArray(y, off + i, m);
            }
            acc = acc.add(e, m);
        }
        return VecMath.sumLanes(acc);
    }

    /** y = a·x over the row (softmax: a = 1/Σ; cross entropy's backward: a = 1/B). */
    private static void scale(float[] y, float[] x, int off, int n, float a) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(a).intoArray(y, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, off + i, m).mul(a).intoArray(y, off + i, m);
        }
    }

    // ---- the kernels: x (rows, n) ----

    /** y = softmax(x) per row. */
    public static void softmaxForward(float[] y, float[] x, int rows, int n) {
        Parallel.forRange(rows, 25L * n, r -> {
            int off = r * n;
            float sum = expSum(y, x, off, n, rowMax(x, off, n));
            scale(y, y, off, n, 1f / sum);
        });
    }

    /** dx = y·(dy − Σ dy·y) per row. */
    public static void softmaxBackward(float[] dx, float[] dy, float[] y, int rows, int n) {
        Parallel.forRange(rows, 5L * n, r -> {
            int off = r * n;
            FloatVector acc = FloatVector.zero(S);
            FloatVector acc1 = acc, acc2 = acc, acc3 = acc;
            int i = 0;
            for (; i <= n - 4 * L; i += 4 * L) { // four accumulators, as in expSum
                acc = FloatVector.fromArray(S, dy, off + i).fma(FloatVector.fromArray(S, y, off + i), acc);
                acc1 = FloatVector.fromArray(S, dy, off + i + L).fma(FloatVector.fromArray(S, y, off + i + L), acc1);
                acc2 = FloatVector.fromArray(S, dy, off + i + 2 * L).fma(FloatVector.fromArray(S, y, off + i + 2 * L), acc2);
                acc3 = FloatVector.fromArray(S, dy, off + i + 3 * L).fma(FloatVector.fromArray(S, y, off + i + 3 * L), acc3);
            }
            acc = acc.add(acc1).add(acc2.add(acc3));
            for (; i <= n - L; i += L) {
                acc = FloatVector.fromArray(S, dy, off + i).fma(FloatVector.fromArray(S, y, off + i), acc);
            }
            if (i < n) {
                VectorMask<Float> m = S.indexInRange(i, n);
                acc = acc.add(FloatVector.fromArray(S, dy, off + i, m).mul(FloatVector.fromArray(S, y, off + i, m)), m);
            }
            float dot = VecMath.sumLanes(acc);
            for (i = 0; i <= n - L; i += L) {
                FloatVector yy = FloatVector.fromArray(S, y, off + i);
                yy.mul(FloatVector.fromArray(S, dy, off + i).sub(dot)).intoArray(dx, off + i);
            }
            if (i < n) {
                VectorMask<Float> m = S.indexInRange(i, n);
                FloatVector yy = FloatVector.fromArray(S, y, off + i, m);
                yy.mul(FloatVector.fromArray(S, dy, off + i, m).sub(dot)).intoArray(dx, off + i, m);
            }
        });
    }

    /** y = (x − m) − log Σ e^(x − m) per row. */
    public static void logSoftmaxForward(float[] y, float[] x, int rows, int n) {
        Parallel.forRange(rows, 25L * n, r -> {
            int off = r * n;
            float max = rowMax(x, off, n);
            float logSum = (float) Math.log(expSum(null, x, off, n, max));
            int i = 0;
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(S, x, off + i).sub(max).sub(logSum).intoArray(y, off + i);
            }
            if (i < n) {
                VectorMask<Float> m = S.indexInRange(i, n);
                FloatVector.fromArray(S, x, off + i, m).sub(max).sub(logSum).intoArray(y, off + i, m);
            }
        });
    }

    /** dx = dy − e^y·Σ dy per row. */
    public static void logSoftmaxBackward(float[] dx, float[] dy, float[] y, int rows, int n) {
        Parallel.forRange(rows, 25L * n, r -> {
            int off = r * n;
            float total = (float) VecMath.sum(dy, off, n);
            int i = 0;
            for (; i <= n - L; i += L) {
                FloatVector e = VecMath.exp(FloatVector.fromArray(S, y, off + i));
                FloatVector.fromArray(S, dy, off + i).sub(e.mul(total)).intoArray(dx, off + i);
            }
            if (i < n) {
                VectorMask<Float> m = S.indexInRange(i, n);
                FloatVector e = VecMath.exp(FloatVector.fromArray(S, y, off + i, m));
                FloatVector.fromArray(S, dy, off + i, m).sub(e.mul(total)).intoArray(dx, off + i, m);
            }
        });
    }

    /**
     * probs = softmax(z) and the mean loss 1/B Σ (log Σ e^(z − m) − (z_label − m)): one pass
     * over each row for max, exp and sum gives both (the scalar loop reads the row again). The
     * per-row losses land in an array and are summed in double in row order, so the result does
     * not depend on the thread count. Labels must already be checked to lie in [0, N).
     */
    public static float crossEntropyForward(float[] probs, float[] logits, int[] labels, int batch, int n) {
        float[] loss = new float[batch];
        Parallel.forRange(batch, 25L * n, r -> {
            int off = r * n;
            float max = rowMax(logits, off, n);
            float sum = expSum(probs, logits, off, n, max);
            loss[r] = (float) Math.log(sum) - (logits[off + labels[r]] - max);
            scale(probs, probs, off, n, 1f / sum);
        });
        double total = 0;
        for (float l : loss) {
            total += l;
        }
        return (float) (total / batch);
    }

    /** dz = (probs − onehot(label)) / B. */
    public static void crossEntropyBackward(float[] dlogits, float[] probs, int[] labels, int batch, int n) {
        float k = 1.0f / batch;
        Parallel.forRange(batch, 2L * n, r -> {
            int off = r * n;
            scale(dlogits, probs, off, n, k);
            dlogits[off + labels[r]] -= k;
        });
    }
}
