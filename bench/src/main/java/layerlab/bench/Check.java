package layerlab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Locale;
import layerlab.nn.Parameter;
import layerlab.tensor.Tensor;

/**
 * A sweep row's answer, checked before the row is timed: layerlab and libtorch run once on the
 * same input (and, with backward, the same dy); the forward output, dL/dx and the parameter
 * gradients are compared. Error of one array: max|a − b| / max(max|b|, tiny), b libtorch's; a
 * row's error is the worst of its arrays.
 */
final class Check {
    private Check() {}

    /** Below this, max|b| counts as zero (an all-zero reference: the error is then absolute). */
    static final double TINY = 1e-30;

    /** The worst error of one row, the array it came from, and the bound it must meet. */
    record Result(double error, String worst, double bound) {
        boolean passed() {
            return error <= bound; // NOTE: false for NaN, as it must be
        }

        String cell() {
            String e = String.format(Locale.ROOT, "%.1e", error);
            return passed() ? e : e + " FAIL (" + worst + ")";
        }
    }

    /**
     * 1e-4 for the GEMM ops (conv, linear: the ops with FLOPs in their cost), whose dot products of
     * up to 4096 terms are summed in another order and blocking than libtorch's; 1e-5 for the rest.
     */
    static double bound(Ops.Op op) {
        return op.forward().flops() > 0 ? 1e-4 : 1e-5;
    }

    /** Runs both sides once on x (and dy when backward) and compares y, dx and the parameters' gradients. */
    static Result run(Ops.Op op, boolean backward, Tensor x, Tensor dy, NDManager m) {
        // layerlab's trainable parameters, in the order of op.params() (a bench bug otherwise: checked below)
        List<Parameter> trainable = op.layer().parameters().stream().filter(Parameter::trainable).toList();
        if (trainable.size() != op.params().length) {
            throw new IllegalStateException(op.name() + ": " + op.params().length + " libtorch parameters for "
                    + trainable.size() + " trainable layerlab parameters");
        }
        trainable.forEach(Parameter::zeroGrad);
        op.layer().train(op.training());
        Tensor y = op.layer().forward(x);
        Tensor dx = backward ? op.layer().backward(dy) : null;

        Worst worst = new Worst();
        JniUtils.setGradMode(backward);
        try {
            PtNDArray[] in = torchInputs(op, x, backward, m);
            PtNDArray ty = op.torch().apply(in);
            if (backward) {
                JniUtils.backward(ty, Libtorch.of(dy, m), false, false);
            }
            worst.add("y", y, ty);
            if (backward) {
                worst.add("dx", dx, (PtNDArray) in[0].getGradient());
                for (int i = 0; i < op.params().length; i++) {
                    Parameter p = trainable.get(i);
                    worst.add("d" + p.name(), p.grad(), (PtNDArray) in[1 + i].getGradient());
                }
            }
        } finally {
            JniUtils.setGradMode(false);
        }
        return new Result(worst.error, worst.name, bound(op));
    }

    /** [x, params…, consts…] as libtorch arrays owned by m; x and the params require grad when backward. */
    private static PtNDArray[] torchInputs(Ops.Op op, Tensor x, boolean backward, NDManager m) {
        int n = 1 + op.params().length + op.consts().length;
        PtNDArray[] in = new PtNDArray[n];
        for (int i = 0; i < n; i++) {
            Tensor t = i == 0 ? x : i <= op.params().length ? op.params()[i - 1] : op.consts()[i - 1 - op.params().length];
            in[i] = Libtorch.of(t, m);
            if (backward && i <= op.params().length) {
                JniUtils.attachGradient(in[i], true);
            }
        }
        return in;
    }

    /** The worst error seen so far and the array it came from. */
    private static final class Worst {
        double error;
        String name = "-";

        void add(String what, Tensor a, PtNDArray b) {
            double e = relError(a.toArray(), b.toFloatArray());
            if (!Double.isNaN(error) && !(e <= error)) { // a NaN, once seen, stays the worst
                error = e;
                name = what;
            }
        }
    }

    /** max|a − b| / max(max|b|, tiny); +∞ when the lengths differ, NaN when either holds NaN. */
    static double relError(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            ref = Math.max(ref, Math.abs((double) b[i]));
        }
        return diff / Math.max(ref, TINY);
    }
}
