package layerlab.data;

import layerlab.tensor.Tensor;

/** One mini-batch: images (B, …), their labels, and which batch of the epoch it is. */
public record Batch(Tensor images, int[] labels, int index) {
    /** Number of examples B. */
    public int size() {
        return labels.length;
    }
}
