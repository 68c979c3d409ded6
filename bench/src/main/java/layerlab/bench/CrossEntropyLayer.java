package layerlab.bench;

import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Layer;
import layerlab.tensor.Tensor;

/**
 * {@link CrossEntropyLoss} with fixed labels seen as a layer, so the benchmark can time and check
 * it like the others: logits (B, N) → the mean loss as a (1) tensor; backward(dL) returns
 * dL · dloss/dlogits, as autograd does with an upstream gradient dL.
 */
final class CrossEntropyLayer implements Layer {
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final int[] labels; // (B)

    CrossEntropyLayer(int[] labels) {
        this.labels = labels.clone();
    }

    @Override
    public Tensor forward(Tensor logits) {
        return Tensor.of(new float[] {loss.forward(logits, labels)}, 1);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dlogits = loss.backward(); // (B, N) = (p − onehot) / B
        float scale = dOut.data()[0];
        float[] d = dlogits.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        return dlogits;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return new int[] {1};
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss() as a layer";
    }
}
