package layerlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import layerlab.tensor.Rng;
import layerlab.tensor.Shapes;

/**
 * The lecture's template of a deep CNN (§5, slide 14):
 * <pre>
 *   INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC → Softmax
 * </pre>
 * with the modern additions the slide lists: BatchNorm after each convolution, before its ReLU
 * (where §9 puts it), and Dropout in the fully connected block.
 *
 * <pre>{@code
 * Sequential net = Template.input(1, 28, 28)   // C, H, W of one image
 *         .convRelu(2, 8, 16)                   // N = 2 convs per block; M = 2 blocks of 8 and 16 maps
 *         .fcRelu(64)                           // K = 1 hidden FC layer of 64 units
 *         .classes(10)
 *         .withBatchNorm()
 *         .build();                             // ends in Softmax: probabilities, for inference
 * Sequential train = template.logits();         // the same net without Softmax, for CrossEntropyLoss
 * }</pre>
 *
 * <p>Convolutions are k×k, stride 1, padding (k−1)/2 (size-preserving for odd k); POOL is
 * MaxPool(2, 2) after each block unless {@link #noPool()}. FC layers see the feature maps through a
 * Flatten. Every weight is drawn from a seed derived from {@link #seed(long)} and the layer's
 * position, so the same template builds the same network. A template is immutable: each method
 * returns a new one.
 */
public final class Template {
    /**
     * Everything the template needs. {@code channels} has one width per conv block (its length
     * is M); {@code fcWidths} one per hidden FC layer (its length is K); {@code dropoutKeep} is
     * the lecture's keep probability p, or 0 for no dropout.
     */
    public record Config(int[] input, int convsPerBlock, int[] channels, int kernel, boolean pool,
                         boolean batchNorm, int[] fcWidths, double dropoutKeep, int classes, long seed) {
        public Config {
            input = input.clone();
            channels = channels.clone();
            fcWidths = fcWidths.clone();
            Shapes.require(input.length == 3 && input[0] > 0 && input[1] > 0 && input[2] > 0,
                    "Template: expected an input (C, H, W) of positive sizes, got " + Shapes.str(input));
            Shapes.require(convsPerBlock >= 1, "Template: expected N >= 1 convolutions per block, got " + convsPerBlock);
            for (int c : channels) {
                Shapes.require(c > 0, "Template: expected channel widths > 0, got " + Arrays.toString(channels));
            }
            Shapes.require(kernel > 0, "Template: expected kernel > 0, got " + kernel);
            for (int w : fcWidths) {
                Shapes.require(w > 0, "Template: expected FC widths > 0, got " + Arrays.toString(fcWidths));
            }
            Shapes.require(dropoutKeep == 0 || (dropoutKeep > 0 && dropoutKeep <= 1),
                    "Template: expected a dropout keep probability p in (0, 1], got " + dropoutKeep);
            Shapes.require(classes >= 2, "Template: expected at least 2 classes, got " + classes);
        }

        /** M, the number of conv blocks. */
        public int blocks() {
            return channels.length;
        }

        /** K, the number of hidden FC layers. */
        public int hiddenFc() {
            return fcWidths.length;
        }

        @Override
        public int[] input() {
            return input.clone();
        }

        @Override
        public int[] channels() {
            return channels.clone();
        }

        @Override
        public int[] fcWidths() {
            return fcWidths.clone();
        }
    }

    private final Config config;

    private Template(Config config) {
        this.config = config;
    }

    /** Starts a template for images of {@code channels × height × width}; defaults: 3×3 kernels, pooling on, 10 classes, seed 42. */
    public static Template input(int channels, int height, int width) {
        return new Template(new Config(new int[] {channels, height, width}, 1, new int[0], 3, true, false,
                new int[0], 0, 10, 42));
    }

    public static Template of(Config config) {
        return new Template(config);
    }

    public Config config() {
        return config;
    }

    /** [[CONV → RELU]·n → POOL?]·M with one block per width given: M = widths.length. */
    public Template convRelu(int n, int... widths) {
        Config c = config;
        return new Template(new Config(c.input, n, widths, c.kernel, c.pool, c.batchNorm, c.fcWidths,
                c.dropoutKeep, c.classes, c.seed));
    }

    /** [FC → RELU]·K with one hidden layer per width given: K = widths.length. */
    public Template fcRelu(int... widths) {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, c.pool, c.batchNorm, widths,
                c.dropoutKeep, c.classes, c.seed));
    }

    /** The number of output classes (the last FC's width). */
    public Template classes(int classes) {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, c.pool, c.batchNorm,
                c.fcWidths, c.dropoutKeep, classes, c.seed));
    }

    /** k×k convolutions (padding (k−1)/2). */
    public Template kernel(int k) {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, k, c.pool, c.batchNorm, c.fcWidths,
                c.dropoutKeep, c.classes, c.seed));
    }

    /** No POOL after the conv blocks (the "?" of the template). */
    public Template noPool() {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, false, c.batchNorm,
                c.fcWidths, c.dropoutKeep, c.classes, c.seed));
    }

    /** CONV → BatchNorm → RELU (lecture convention); the convolutions lose their now redundant bias. */
    public Template withBatchNorm() {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, c.pool, true, c.fcWidths,
                c.dropoutKeep, c.classes, c.seed));
    }

    /** FC → RELU → Dropout in each hidden FC layer, keeping units with probability p (the lecture's p). */
    public Template withDropout(double keep) {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, c.pool, c.batchNorm,
                c.fcWidths, keep, c.classes, c.seed));
    }

    /** The seed every layer's initialization (and dropout mask stream) derives from. */
    public Template seed(long seed) {
        Config c = config;
        return new Template(new Config(c.input, c.convsPerBlock, c.channels, c.kernel, c.pool, c.batchNorm,
                c.fcWidths, c.dropoutKeep, c.classes, seed));
    }

    /** The network ending in Softmax over the classes: probabilities, for inference and display. */
    public Sequential build() {
        List<Layer> layers = layers();
        layers.add(new Softmax(1));
        return new Sequential(layers);
    }

    /** The same network without the final Softmax: logits, for training with CrossEntropyLoss. */
    public Sequential logits() {
        return new Sequential(layers());
    }

    private List<Layer> layers() {
        Config c = config;
        List<Layer> layers = new ArrayList<>();
        int[] shape = {1, c.input[0], c.input[1], c.input[2]}; // one image through the net: (1, C, H, W)
        int pad = (c.kernel - 1) / 2;
        for (int m = 0; m < c.blocks(); m++) {
            for (int n = 0; n < c.convsPerBlock; n++) {
                Conv2d.Config conv = new Conv2d.Config(shape[1], c.channels[m], c.kernel, 1, pad, !c.batchNorm, false);
                shape = add(layers, new Conv2d(conv, seedAt(layers.size())), shape);
                if (c.batchNorm) {
                    shape = add(layers, new BatchNorm(shape[1]), shape);
                }
                shape = add(layers, new ReLU(), shape);
            }
            if (c.pool) {
                shape = add(layers, new MaxPool(2, 2), shape);
            }
        }
        shape = add(layers, new Flatten(), shape);
        for (int width : c.fcWidths) {
            shape = add(layers, new Linear(shape[1], width, seedAt(layers.size())), shape);
            shape = add(layers, new ReLU(), shape);
            if (c.dropoutKeep > 0) {
                shape = add(layers, Dropout.keep(c.dropoutKeep).withSeed(seedAt(layers.size())), shape);
            }
        }
        add(layers, new Linear(shape[1], c.classes, seedAt(layers.size())), shape);
        return layers;
    }

    /** Appends a layer and returns its output shape; a layer that cannot take the shape says so. */
    private static int[] add(List<Layer> layers, Layer layer, int[] shape) {
        layers.add(layer);
        return layer.outputShape(shape);
    }

    private long seedAt(int position) {
        return Rng.bits(config.seed, position);
    }

    /** "INPUT(1×28×28) → [[CONV3×3 → RELU]·2 → POOL]·2 → [FC → RELU]·1 → FC(10) → Softmax". */
    @Override
    public String toString() {
        Config c = config;
        StringBuilder sb = new StringBuilder("INPUT(").append(c.input[0]).append('×').append(c.input[1]).append('×')
                .append(c.input[2]).append(')');
        if (c.blocks() > 0) {
            sb.append(" → [[CONV").append(c.kernel).append('×').append(c.kernel).append(c.batchNorm ? " → BN" : "")
                    .append(" → RELU]·").append(c.convsPerBlock).append(c.pool ? " → POOL" : "").append("]·")
                    .append(c.blocks()).append(' ').append(Arrays.toString(c.channels));
        }
        if (c.hiddenFc() > 0) {
            sb.append(" → [FC → RELU").append(c.dropoutKeep > 0 ? " → DROPOUT(p=" + c.dropoutKeep + ")" : "")
                    .append("]·").append(c.hiddenFc()).append(' ').append(Arrays.toString(c.fcWidths));
        }
        return sb.append(" → FC(").append(c.classes).append(") → Softmax").toString();
    }
}
