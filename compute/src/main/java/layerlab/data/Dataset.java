package layerlab.data;

import java.util.Arrays;
import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Labelled examples: {@code images} (N, …) and one label per example in {@code labels}
 * (0 … classes.size() − 1).
 */
public record Dataset(Tensor images, int[] labels, List<String> classes) {
    public Dataset {
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException("Dataset: expected one label per example, got images of shape "
                    + Shapes.str(images.shape()) + " and " + labels.length + " labels");
        }
        classes = List.copyOf(classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException("Dataset: expected labels in 0…" + (classes.size() - 1)
                        + ", got " + labels[i] + " at index " + i);
            }
        }
    }

    /** Number of examples N. */
    public int size() {
        return labels.length;
    }

    /** Examples [from, to) as a new data set (copied). */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("Dataset.subset: expected 0 <= from < to <= " + size()
                    + ", got [" + from + ", " + to + ")");
        }
        int per = images.numel() / size();
        int[] shape = images.shape();
        shape[0] = to - from;
        float[] data = Arrays.copyOfRange(images.data(), from * per, to * per);
        return new Dataset(Tensor.of(data, shape), Arrays.copyOfRange(labels, from, to), classes);
    }

    /** The class name of example i. */
    public String className(int i) {
        return classes.get(labels[i]);
    }

    /** How many examples each class has, by label. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " examples, images " + Shapes.str(images.shape()) + ", "
                + classes.size() + " classes)";
    }
}
