package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.Indices;
import layerlab.tensor.Tensor;

/** softmax.cl: softmax and log-softmax along an axis, cross entropy from logits. */
final class ClSoftmax {
    private static final String F = "softmax";
    private final ClLaunch cl;

    ClSoftmax(ClLaunch cl) {
        this.cl = cl;
    }

    /** Rows of contiguous values (inner = 1) are one work-group each; strided rows one work item each. */
    void rows(String kernel, Tensor out, Tensor in1, Tensor in2, int outer, int n, int inner) {
        String d = defs("OUTER", outer, "LEN", n, "INNER", inner, "WG", cl.wg());
        Object[] args = in2 == null ? new Object[] {cl.buf(out), cl.buf(in1)}
                : new Object[] {cl.buf(out), cl.buf(in1), cl.buf(in2)};
        if (inner == 1) {
            cl.runGroups(F, d, kernel, outer, args);
        } else {
            cl.run1(F, d, kernel, (long) outer * inner, args);
        }
    }

    /** probs = softmax(logits); the mean loss, from per-row losses summed in double on the host (one read of B floats). */
    float crossEntropyForward(OpenClBackend backend, Tensor probs, Tensor logits, Indices labels, int batch, int n) {
        rows("softmax_forward", probs, logits, null, batch, n, 1);
        Tensor loss = backend.empty(batch);
        cl.runGroups(F, defs("OUTER", batch, "LEN", n, "INNER", 1, "WG", cl.wg()), "cross_entropy_rows", batch,
                cl.buf(loss), cl.buf(logits), cl.buf(labels));
        double total = 0; // NOTE: as on the CPU, the mean over the batch is summed in double, rounded once
        for (float l : loss.toArray()) {
            total += l;
        }
        return (float) (total / batch);
    }

    void crossEntropyBackward(Tensor dlogits, Tensor probs, Indices labels, int batch, int n) {
        cl.run1(F, defs("OUTER", batch, "LEN", n, "INNER", 1, "WG", cl.wg()), "cross_entropy_backward",
                (long) batch * n, cl.buf(dlogits), cl.buf(probs), cl.buf(labels));
    }
}
