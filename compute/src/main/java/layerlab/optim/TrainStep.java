package layerlab.optim;

import java.util.List;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Layer;
import layerlab.nn.Sequential;
import layerlab.nn.Softmax;
import layerlab.tensor.Device;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * One training step on a mini-batch, the loop every lab writes:
 * <pre>
 *   zero the gradients → logits = model(x) → L = CrossEntropy(logits, y) → backward → optimizer step
 * </pre>
 * The model must return logits (no final Softmax: {@link CrossEntropyLoss} applies log-softmax
 * itself, stably). {@link #evaluate} measures loss and accuracy in evaluation mode.
 *
 * <pre>{@code
 * Sequential net = Template.input(1, 28, 28).convRelu(1, 8).fcRelu(32).logits();
 * TrainStep step = new TrainStep(net, new Adam(net.parameters(), 1e-3));
 * for (Batch b : Batches.of(train, 64).shuffled(1)) {
 *     TrainStep.Result r = step.run(b.images(), b.labels());
 * }
 * }</pre>
 */
public final class TrainStep {
    /** The batch's mean loss (before the step) and how many argmax predictions matched the labels. */
    public record Result(float loss, int correct, int size) {
        public double accuracy() {
            return (double) correct / size;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "loss %.4f, accuracy %.3f (%d/%d)", loss, accuracy(), correct, size);
        }
    }

    private final Layer model;
    private final CrossEntropyLoss loss;
    private final Optimizer optimizer;

    public TrainStep(Layer model, Optimizer optimizer) {
        this(model, new CrossEntropyLoss(), optimizer);
    }

    public TrainStep(Layer model, CrossEntropyLoss loss, Optimizer optimizer) {
        requireLogits(model);
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    public Layer model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Forward, loss, backward and one optimizer step on (images, labels), in training mode. */
    public Result run(Tensor images, int[] labels) {
        requireBatch(images, labels);
        model.train(true);
        optimizer.zeroGrad();
        Tensor logits = model.forward(images);
        float l = loss.forward(logits, labels);
        model.backwardParameters(loss.backward()); // the images need no gradient
        optimizer.step();
        return new Result(l, correct(logits, labels), labels.length);
    }

    /** Loss and accuracy in evaluation mode, without touching any parameter; restores training mode. */
    public static Result evaluate(Layer model, Tensor images, int[] labels) {
        requireBatch(images, labels);
        model.train(false);
        try {
            Tensor logits = model.forward(images);
            float l = new CrossEntropyLoss().forward(logits, labels);
            return new Result(l, correct(logits, labels), labels.length);
        } finally {
            model.train(true);
        }
    }

    /** How many rows of (N, classes) logits have their maximum at the label (ties: the first). */
    static int correct(Tensor logits, int[] labels) {
        int n = logits.size(0);
        int k = logits.numel() / n;
        float[] z = logits.to(Device.CPU).data();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (z[i * k + j] > z[i * k + best]) {
                    best = j;
                }
            }
            hits += best == labels[i] ? 1 : 0;
        }
        return hits;
    }

    private static void requireBatch(Tensor images, int[] labels) {
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException("TrainStep: expected one label per example, got images of shape "
                    + Shapes.str(images.shape()) + " and " + labels.length + " labels");
        }
    }

    /** A model ending in Softmax would be trained through two softmaxes: refuse it clearly. */
    private static void requireLogits(Layer model) {
        Layer last = model;
        while (last instanceof Sequential s && !s.layers().isEmpty()) {
            List<Layer> layers = s.layers();
            last = layers.get(layers.size() - 1);
        }
        if (last instanceof Softmax) {
            throw new IllegalArgumentException("TrainStep: expected a model that returns logits, got one ending in "
                    + last + "; CrossEntropyLoss applies log-softmax itself (use Template.logits(), or drop the Softmax)");
        }
    }
}
