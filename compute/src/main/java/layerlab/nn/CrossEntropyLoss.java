package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Indices;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Cross entropy of the softmax of logits against integer class labels, averaged over the batch:
 * L = 1/B · Σᵢ −log pᵢ,label with p = Softmax(logits) (lecture §4). PyTorch:
 * {@code torch.nn.CrossEntropyLoss()} (mean reduction), which also takes raw logits.
 *
 * <p>Not a layer: it ends the network. {@code forward(logits, labels)} returns the loss;
 * {@code backward()} returns dL/dlogits = (p − onehot(label)) / B.
 *
 * <p>Numerically stable: −log pᵢ,c = log Σₖ e^(lₖ − m) − (l_c − m) with m the row's maximum,
 * so logits around ±1000 give a finite, exact loss where exp(1000) would overflow.
 */
public final class CrossEntropyLoss {
    private Saved saved;

    /** What backward needs: the softmax probabilities (B, N) and the labels. */
    private record Saved(Tensor probs, Indices labels) {}

    /** The mean loss over the batch; logits (B, N), labels (B) with values in [0, N). */
    public float forward(Tensor logits, int[] labels) {
        int[] s = logits.shape();
        Layers.require(this, s.length == 2, "expected logits of rank 2 (B, N), got shape " + Shapes.str(s));
        Layers.require(this, labels != null, "expected " + s[0] + " labels, got null");
        Layers.require(this, labels.length == s[0], "expected " + s[0] + " labels (one per row of logits "
                + Shapes.str(s) + "), got " + labels.length);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            Layers.require(this, label >= 0 && label < s[1], "expected labels in [0, " + s[1] + "), got "
                    + label + " at index " + i);
        }
        Tensor probs = logits.emptyLike();
        Indices onDevice = Backends.of(logits).upload(labels.clone()); // (B), where the logits live
        float loss = Backends.of(logits).crossEntropyForward(probs, logits, onDevice, s[0], s[1]);
        saved = new Saved(probs, onDevice);
        return loss;
    }

    /** dL/dlogits = (p − onehot(label)) / B, for the last forward. */
    public Tensor backward() {
        Saved kept = Layers.saved(this, saved);
        Tensor probs = kept.probs();
        Tensor dlogits = probs.emptyLike();
        Backends.of(probs).crossEntropyBackward(dlogits, probs, kept.labels(), probs.size(0), probs.size(1));
        return dlogits;
    }

    /** The softmax probabilities p (B, N) of the last forward (a copy). */
    public Tensor probabilities() {
        if (saved == null) {
            throw new IllegalStateException(this + ": probabilities called before forward");
        }
        return saved.probs().copy();
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
