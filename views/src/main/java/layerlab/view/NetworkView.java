package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.backend.Backends;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Layer;
import layerlab.nn.Parameter;
import layerlab.nn.Sequential;
import layerlab.nn.Softmax;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The network at work (lecture slide 3, after the ConvNetJS demo): for one forward and one
 * backward pass of a {@link Sequential}, per layer the activations of sample 0, their gradients
 * dL/d(output) with L = CrossEntropyLoss of the logits, and the layer's weights — conv filters as
 * small tiles (one row per output map), FC weights as a heatmap.
 *
 * <p>The parameters' gradients are put back as they were: showing a network does not change what
 * the next optimizer step does. The layers run in the mode they are in (see {@link Views#network}).
 */
final class NetworkView {
    private NetworkView() {
    }

    /** One layer's row: its output (sample 0 drawn), dL/d(output) or null, and its weight or null. */
    record Row(String name, Tensor output, Tensor gradient, String noGradient, Tensor weight) {
    }

    static DisplayData network(Sequential model, Tensor x, int[] labels) {
        List<Layer> layers = model.layers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("network: expected a Sequential with layers, got " + model);
        }
        List<Tensor> outs = new ArrayList<>();
        Tensor a = x;
        for (Layer l : layers) {
            a = l.forward(a);
            outs.add(a);
        }
        int last = layers.size() - 1;
        int logitsAt = layers.get(last) instanceof Softmax && last > 0 ? last - 1 : last;
        Tensor logits = outs.get(logitsAt);
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("network: expected the logits of " + layers.get(logitsAt)
                    + " to be (N, classes), got shape " + Shapes.str(logits.shape()));
        }
        boolean predicted = labels.length == 0;
        int[] targets = predicted ? argmax(TensorView.host(logits)) : labels;
        if (targets.length != logits.size(0)) {
            throw new IllegalArgumentException("network: expected " + logits.size(0) + " labels (one per sample of x "
                    + Shapes.str(x.shape()) + "), got " + targets.length);
        }
        List<Tensor> grads = backward(model, logits, targets, logitsAt);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("input", x, null, "the data: no gradient is needed", null));
        for (int i = 0; i < layers.size(); i++) {
            String none = i > logitsAt ? "the loss is taken from the logits above: dL/dlogits = (p − onehot(label)) / N" : "";
            rows.add(new Row(i + ": " + layers.get(i), outs.get(i), grads.get(i), none, weight(layers.get(i))));
        }
        String note = (predicted ? "No labels given: the loss is taken against the network's own answers (argmax), "
                + "so the gradients show what would reinforce them. " : "")
                + "L = CrossEntropyLoss over the batch of " + logits.size(0) + "; sample 0 is drawn.";
        return NetworkTable.render(rows, note, targets[0]);
    }

    /**
     * dL/d(output of layer i) for i ≤ {@code logitsAt} (null above it), by the layers' own backward
     * in reverse; every parameter gradient is restored afterwards.
     */
    private static List<Tensor> backward(Sequential model, Tensor logits, int[] labels, int logitsAt) {
        List<Layer> layers = model.layers();
        List<Parameter> params = model.parameters();
        List<Tensor> saved = new ArrayList<>();
        for (Parameter p : params) {
            saved.add(p.grad().copy());
        }
        Tensor[] grads = new Tensor[layers.size()];
        try {
            CrossEntropyLoss loss = new CrossEntropyLoss();
            loss.forward(logits, labels);
            Tensor d = loss.backward();
            grads[logitsAt] = d;
            for (int i = logitsAt; i >= 1; i--) { // layer 0's input is the data: its dL/dX is not needed
                d = layers.get(i).backward(d);
                grads[i - 1] = d;
            }
        } finally {
            for (int k = 0; k < params.size(); k++) {
                Tensor g = params.get(k).grad();
                Backends.of(g).copyBlocks(g, 0, g.numel(), saved.get(k), 0, g.numel(), g.numel(), 1);
            }
        }
        return Arrays.asList(grads);
    }

    /** The layer's weight: its first trainable parameter of rank 4 (conv filters) or 2 (FC), or null. */
    static Tensor weight(Layer l) {
        for (Parameter p : l.parameters()) {
            if (p.trainable() && (p.value().rank() == 4 || p.value().rank() == 2)) {
                return p.value();
            }
        }
        return null;
    }

    static int[] argmax(Tensor rows) {
        int n = rows.size(0);
        int k = rows.size(1);
        int[] best = new int[n];
        float[] d = rows.data();
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) {
                if (d[i * k + j] > d[i * k + best[i]]) {
                    best[i] = j;
                }
            }
        }
        return best;
    }
}
