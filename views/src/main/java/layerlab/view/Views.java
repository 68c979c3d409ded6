package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.data.Dataset;
import layerlab.nn.Activation;
import layerlab.nn.BatchNorm;
import layerlab.nn.GroupNorm;
import layerlab.nn.InstanceNorm;
import layerlab.nn.Layer;
import layerlab.nn.LayerNorm;
import layerlab.nn.MaxPool;
import layerlab.nn.Sequential;
import layerlab.nn.Summary;
import layerlab.nn.Trace;
import layerlab.tensor.Tensor;

import java.util.List;

/**
 * One-line views for notebooks: each returns a static MIME bundle (text/plain always, plus
 * text/html and/or image/png) that the kernel displays as-is, and that a unit test can inspect.
 *
 * <pre>
 * show(x)                      summary + number grid (small) or heatmap tiles (rank 3–5)
 * show(x, Scale.PER_TILE)      each tile on its own color scale
 * featureMaps(x)               every channel of sample 0 (the ConvNetJS view)
 * plot(new ReLU(), -3, 3)      f and f′
 * plotAll(-3, 3, f, g, …)      one small chart per activation (lecture slide 12)
 * histogram(x)                 value histogram with the share of zeros (neutral)
 * histogram(y, new Tanh())     … named for the layer's output: saturation, inactive ReLUs, dropped units
 * compare(layer, x)            runs the layer: input → output side by side (max-pool winners marked)
 * bnStats(bn)                  per channel μ_B, σ²_B vs running μ_avg, σ²_avg, and γ, β
 * normStats(ln | in | gn)      the last forward's (N, G) statistics and the axes they reduce
 * normDiagram()                which axes of (N,C,H,W) BN/LN/IN/GN reduce
 * summary(model, 1, 1, 28, 28) layers, output shapes, trainable / non-trainable parameters
 * layers(model, x)             one forward pass: every layer's output, range, zeros, thumbnails
 * network(net, x, labels)      activations, gradients dL/d(output) and weights of every layer
 * predictions(net, test)       top-3 class probabilities per test image, true class marked
 * new Progress(steps)          training progress, re-rendered with updateDisplay
 * new BnMonitor(bn)            running statistics over training steps
 * </pre>
 */
public final class Views {
    private Views() {
    }

    /** Summary line (shape, device, min/max/mean/std, NaN/Inf flagged) and the values. */
    public static DisplayData show(Tensor x) {
        given("show(x)", "a Tensor", x);
        return TensorView.show(x, Scale.SHARED);
    }

    /** As {@link #show(Tensor)}, choosing one shared color scale or one per tile. */
    public static DisplayData show(Tensor x, Scale scale) {
        given("show(x, scale)", "a Tensor", x);
        given("show(x, scale)", "a Scale (Scale.SHARED or Scale.PER_TILE)", scale);
        return TensorView.show(x, scale);
    }

    /** Every channel of sample 0 of an (N,C,H,W) or (C,H,W) tensor as heatmap tiles. */
    public static DisplayData featureMaps(Tensor x) {
        given("featureMaps(x)", "a Tensor", x);
        return TensorView.featureMaps(x, 0, Scale.SHARED);
    }

    /** Every channel of sample {@code n}. */
    public static DisplayData featureMaps(Tensor x, int n) {
        given("featureMaps(x, n)", "a Tensor", x);
        return TensorView.featureMaps(x, n, Scale.SHARED);
    }

    /** Every channel of sample {@code n}, with a shared or per-tile color scale. */
    public static DisplayData featureMaps(Tensor x, int n, Scale scale) {
        given("featureMaps(x, n, scale)", "a Tensor", x);
        given("featureMaps(x, n, scale)", "a Scale (Scale.SHARED or Scale.PER_TILE)", scale);
        return TensorView.featureMaps(x, n, scale);
    }

    /** f(x) and f′(x) for x in [from, to], with axis labels, legend and grid. */
    public static DisplayData plot(Activation f, double from, double to) {
        given("plot(f, from, to)", "an Activation such as new ReLU()", f);
        return ActivationView.plot(f, from, to);
    }

    /** One small chart per activation (f solid, f′ dashed), three per row. */
    public static DisplayData plotAll(double from, double to, Activation... fs) {
        return ActivationView.plotAll(from, to, fs);
    }

    /**
     * Histogram of the values with the share of exact zeros, named neutrally ("share of zeros": the
     * values could come from anything), and for values inside [0, 1] without zeros or inside
     * [−1, 1] the share within 0.01 of the ends. To have the counts named for what they mean,
     * say where the values come from: {@link #histogram(Tensor, Layer)}.
     */
    public static DisplayData histogram(Tensor x) {
        given("histogram(x)", "a Tensor", x);
        return HistogramView.histogram(x, Reading::neutral);
    }

    /**
     * Histogram of the output of {@code producedBy}: after a {@code ReLU} the zeros are inactive
     * ReLUs; after a {@code Sigmoid} or {@code Tanh} the share near the asymptotes is the saturated
     * share (σ ≤ 0.01 or ≥ 0.99; |tanh| ≥ 0.99), after an {@code ELU} the share near −α; after a
     * {@code Dropout} in training the zeros are dropped units. Other layers: as {@link #histogram(Tensor)}.
     * E.g. {@code histogram(y, new Tanh())} or {@code histogram(h, dropout)}.
     */
    public static DisplayData histogram(Tensor x, Layer producedBy) {
        given("histogram(x, layer)", "a Tensor", x);
        if (producedBy == null) {
            throw new IllegalArgumentException("histogram: expected the layer that produced the values, got null");
        }
        return HistogramView.histogram(x, s -> Reading.of(producedBy, s));
    }

    /** Histogram titled with what the values are, e.g. {@code histogram(h, "hidden layer, after dropout")}. */
    public static DisplayData histogram(Tensor x, String label) {
        given("histogram(x, label)", "a Tensor", x);
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("histogram: expected a label naming the values, got "
                    + (label == null ? "null" : "a blank string"));
        }
        return HistogramView.histogram(x, s -> Reading.labelled(label, s));
    }

    /** Histogram with the share of values x ≤ low or x ≥ high (a band of the student's own). */
    public static DisplayData histogram(Tensor x, double low, double high) {
        given("histogram(x, low, high)", "a Tensor", x);
        if (!(low < high)) {
            throw new IllegalArgumentException("histogram: expected low < high, got low=" + low + ", high=" + high);
        }
        return HistogramView.histogram(x, s -> Reading.band(low, high));
    }

    /**
     * Runs {@code layer.forward(x)} and shows input → output side by side: number grids when both
     * are small, heatmap tiles otherwise. NOTE: this is a real forward pass — a layer in training
     * mode updates its state (BatchNorm's running statistics, Dropout's mask).
     */
    public static DisplayData compare(Layer layer, Tensor x) {
        given("compare(layer, x)", "a Layer", layer);
        given("compare(layer, x)", "a Tensor x", x);
        Tensor y = layer.forward(x);
        int[] winners = layer instanceof MaxPool mp ? mp.lastArgmax() : null;
        return CompareView.compare(layer.toString(), x, y, winners);
    }

    /** The cube diagrams of BatchNorm, LayerNorm, InstanceNorm and GroupNorm (lecture §9–10). */
    public static DisplayData normDiagram() {
        String svg = NormDiagram.svg(null, 6, 3);
        String text = "Which values share one mean and variance, for x of shape (N, C, H, W):\n"
                + "BatchNorm    over N, H, W  (one per channel)\n"
                + "LayerNorm    over C, H, W  (one per sample)\n"
                + "InstanceNorm over H, W     (one per sample and channel)\n"
                + "GroupNorm    over C/G channels, H, W (one per sample and group)";
        return Bundle.text(text).svg(svg).build();
    }

    /**
     * BatchNorm per channel: the last training batch's μ_B, σ²_B against the running μ_avg, σ²_avg
     * (μ_avg ← α·μ_avg + (1−α)·μ_B), and γ, β — charts and a table.
     */
    public static DisplayData bnStats(BatchNorm bn) {
        given("bnStats(bn)", "a BatchNorm", bn);
        return BnView.bnStats(bn);
    }

    /** LayerNorm's per-sample μ^t, σ²^t of the last forward (over C, H, W), with the cube diagram. */
    public static DisplayData normStats(LayerNorm ln) {
        given("normStats(ln)", "a LayerNorm", ln);
        return NormView.normStats(ln.toString(), NormDiagram.Kind.LAYER, ln.lastMean(), ln.lastVar(), "sample", 0, 0);
    }

    /** InstanceNorm's per-sample, per-channel μ^{mt}, σ²^{mt} (over H, W), with the cube diagram. */
    public static DisplayData normStats(InstanceNorm in) {
        given("normStats(in)", "an InstanceNorm", in);
        int c = in.config().channels();
        return NormView.normStats(in.toString(), NormDiagram.Kind.INSTANCE, in.lastMean(), in.lastVar(), "channel", c, c);
    }

    /** GroupNorm's per-sample, per-group statistics (over C/G channels, H, W), with the cube diagram. */
    public static DisplayData normStats(GroupNorm gn) {
        given("normStats(gn)", "a GroupNorm", gn);
        return NormView.normStats(gn.toString(), NormDiagram.Kind.GROUP, gn.lastMean(), gn.lastVar(), "group",
                gn.config().channels(), gn.config().groups());
    }

    /** The batch-norm view under the common name (BatchNorm reduces over N, H, W). */
    public static DisplayData normStats(BatchNorm bn) {
        given("normStats(bn)", "a BatchNorm", bn);
        return BnView.bnStats(bn);
    }

    /** The table of layers, output shapes and parameter counts (HTML and plain text). */
    public static DisplayData summary(Summary s) {
        given("summary(s)", "a Summary", s);
        return SummaryView.summary(s);
    }

    /** {@link #summary(Summary)} of {@code model} for one input shape, e.g. (1, 1, 28, 28). */
    public static DisplayData summary(Layer model, int... inputShape) {
        given("summary(model, shape...)", "a Layer", model);
        return SummaryView.summary(Summary.of(model, inputShape));
    }

    /**
     * Runs {@code model.forward(x)} under a {@link Trace} and shows every layer's output: shape,
     * min / mean / max, exact zeros, NaN/Inf flags and thumbnails of sample 0.
     */
    public static DisplayData layers(Layer model, Tensor x) {
        given("layers(model, x)", "a Layer", model);
        given("layers(model, x)", "a Tensor x", x);
        return LayersView.layers(Trace.run(() -> model.forward(x)));
    }

    /** The layer table of an already recorded trace (what the {@code %%layers} magic shows). */
    public static DisplayData layers(List<Trace.Entry> entries) {
        return LayersView.layers(entries);
    }

    /**
     * The network at work (lecture slide 3, the ConvNetJS demo): one forward pass of {@code x} and
     * one backward pass of L = CrossEntropyLoss(logits, labels), and per layer the activations of
     * sample 0, their gradients dL/d(output), and the weights (conv filters as small tiles, one row
     * per output map; FC weights as a heatmap). A model ending in Softmax takes the loss from the
     * logits before it. Without labels the loss is taken against the network's own answers.
     * NOTE: a real forward and backward in the mode the layers are in — in training mode BatchNorm's
     * running statistics move and Dropout draws a mask; the parameter gradients are restored.
     * E.g. {@code network(net, image, test.labels()[pick])}.
     */
    public static DisplayData network(Sequential model, Tensor x, int... labels) {
        return NetworkView.network(model, x, labels);
    }

    /**
     * Test predictions as in the ConvNetJS demo: per image the picture, the true class and the
     * top-3 class probabilities as bars (true class green, a wrong top answer red). A model that
     * does not end in Softmax has its outputs read as logits. Runs {@code model.forward(images)} in
     * the mode the model is in (call {@code train(false)} first for test predictions).
     */
    public static DisplayData predictions(Layer model, Tensor images, int[] labels, List<String> classNames) {
        return PredictionsView.predictions(model, images, labels, classNames);
    }

    /** {@link #predictions(Layer, Tensor, int[], List)} of a data set's images, e.g. {@code test.subset(0, 8)}. */
    public static DisplayData predictions(Layer model, Dataset data) {
        return PredictionsView.predictions(model, data.images(), data.labels(), data.classes());
    }

    /** {@code new Progress(steps)}: a progress bar with curves, for {@code display} and {@code updateDisplay}. */
    public static Progress progress(int steps) {
        return new Progress(steps);
    }

    /** {@code new BnMonitor(bn)}: running statistics over training steps; call {@code record()} each step. */
    public static BnMonitor bnMonitor(BatchNorm bn) {
        given("bnMonitor(bn)", "a BatchNorm", bn);
        return new BnMonitor(bn);
    }

    /** A null argument is named, with what was expected, instead of a NullPointerException somewhere inside. */
    private static void given(String call, String expected, Object arg) {
        if (arg == null) {
            throw new IllegalArgumentException(call + ": expected " + expected + ", got null"
                    + " (a variable declared but not yet assigned, or a method that returned null?)");
        }
    }
}
