package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.data.Batch;
import layerlab.data.Batches;
import layerlab.data.Dataset;
import layerlab.data.FashionMnist;
import layerlab.nn.BatchNorm;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Layer;
import layerlab.nn.Parameter;
import layerlab.nn.Sequential;
import layerlab.nn.Softmax;
import layerlab.nn.Template;
import layerlab.optim.Adam;
import layerlab.optim.TrainStep;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** network(…) and predictions(…) on notebook 07's template CNN and real Fashion-MNIST images. */
class NetworkViewTest {
    /** Notebook 07's template: INPUT(1×28×28) → [[CONV → RELU]·2 → POOL]·2 [8, 16] → [FC → RELU]·1 [64] → FC(10). */
    static Template template() {
        return Template.input(1, 28, 28).convRelu(2, 8, 16).fcRelu(64).classes(10).seed(7);
    }

    /** The trained layers of {@code logits} with Softmax added, in eval mode — notebook 07's {@code net}. */
    static Sequential withSoftmax(Sequential logits) {
        List<Layer> layers = new ArrayList<>(logits.layers());
        layers.add(new Softmax(1));
        Sequential net = new Sequential(layers);
        net.train(false);
        return net;
    }

    @Test
    void everyLayerShowsActivationsGradientsAndWeights() {
        Sequential net = template().build();
        net.train(false);
        Dataset test = FashionMnist.test(4);
        DisplayData d = Views.network(net, test.subset(0, 1).images(), test.labels()[0]);
        String text = BundleAssert.text(d);
        String html = BundleAssert.html(d, "network");
        BundleAssert.assertStyledForJupyter(html);
        assertTrue(text.contains("sample 0, label " + test.labels()[0]), text);
        for (int i = 0; i < net.size(); i++) {
            assertTrue(text.contains(i + ": " + net.get(i)), "layer " + i + " in the text: " + text);
            assertTrue(html.contains(Html.escape(i + ": " + net.get(i))), "layer " + i + " in the HTML");
        }
        assertTrue(text.contains("[1, 16, 7, 7]") && text.contains("[1, 784]") && text.contains("[1, 10]"), text);
        assertTrue(html.contains("8 filters 1×3×3") && html.contains("16 filters 16×3×3"), "conv filters as tiles");
        assertTrue(html.contains("A: 64×784") && html.contains("A: 10×64"), "FC weights as heatmaps");
        // the input, 15 layers' activations, 14 gradients (layers 0…13, up to the logits), 6 weights
        List<BufferedImage> pictures = BundleAssert.inlinePngs(d, "network");
        assertEquals(1 + 15 + 14 + 6, pictures.size());
        assertTrue(html.contains("the loss is taken from the logits"), "Softmax's row says where the loss starts");
    }

    @Test
    void theGradientsAreTheChainRuleAndTheParametersKeepTheirs() {
        Sequential logits = template().logits();
        Dataset test = FashionMnist.test(3);
        Tensor x = test.images();
        for (Parameter p : logits.parameters()) { // something to be kept: not zeros
            Tensor g = p.grad();
            System.arraycopy(Tensor.randn(Seed.of(p.numel()), g.shape()).data(), 0, g.data(), 0, g.numel());
        }
        List<float[]> before = new ArrayList<>();
        logits.parameters().forEach(p -> before.add(p.grad().data().clone()));
        DisplayData d = NetworkView.network(logits, x, test.labels());
        for (int k = 0; k < before.size(); k++) {
            assertArrayEquals(before.get(k), logits.parameters().get(k).grad().data(), "gradient " + k + " restored");
        }
        // dL/d(output of layer 9, the second MaxPool) by an independent pass: the tail 10…13 and the loss
        Tensor a = x;
        for (int i = 0; i <= 9; i++) {
            a = logits.get(i).forward(a);
        }
        Sequential tail = new Sequential(logits.layers().subList(10, 14));
        CrossEntropyLoss loss = new CrossEntropyLoss();
        loss.forward(tail.forward(a), test.labels());
        Tensor expected = tail.backward(loss.backward());
        float worst = 0;
        for (float v : expected.data()) {
            worst = Math.max(worst, Math.abs(v));
        }
        assertTrue(BundleAssert.text(d).contains("9: MaxPool(kernel=2, stride=2)"));
        assertTrue(BundleAssert.text(d).replaceAll("\\s+", " ")
                .contains("[3, 16, 7, 7] " + rangeOf(a) + " " + Html.num(worst)), "max |g| of layer 9 is the chain rule's: "
                + Html.num(worst) + "\n" + BundleAssert.text(d));
    }

    private static String rangeOf(Tensor a) {
        Stats s = Stats.of(a);
        return Html.num(s.min()) + " / " + Html.num(s.mean()) + " / " + Html.num(s.max());
    }

    @Test
    void withoutLabelsTheNetworksOwnAnswersAreTheTargets() {
        Sequential net = template().build();
        net.train(false);
        DisplayData d = Views.network(net, FashionMnist.test(2).images());
        assertTrue(BundleAssert.text(d).contains("No labels given"), BundleAssert.text(d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Views.network(net, FashionMnist.test(2).images(), 1, 2, 3));
        assertTrue(e.getMessage().contains("expected 2 labels (one per sample of x [2, 1, 28, 28]), got 3"), e.getMessage());
        BatchNorm bn = new BatchNorm(3);
        assertThrows(IllegalArgumentException.class, () -> Views.network(new Sequential(bn), Tensor.randn(Seed.of(1), 2, 3, 2, 2)));
    }

    @Test
    void predictionsMarkTheTrueClass() {
        Sequential net = template().build();
        net.train(false);
        Dataset eight = FashionMnist.test(8);
        DisplayData d = Views.predictions(net, eight);
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("Top-3 class probabilities for 8 images"), text);
        for (int i = 0; i < 8; i++) {
            assertTrue(text.contains(String.format("%2d: true %-12s", i, eight.className(i))), "image " + i + ": " + text);
        }
        BufferedImage img = BundleAssert.picture(d, "predictions-untrained");
        assertTrue(BundleAssert.hasColor(img, 0x2ca02c) || text.contains("0 of 8 right"), "a green bar where it is right");
        // logits are read through a softmax: the same top classes
        String fromLogits = BundleAssert.text(Views.predictions(template().logits(), eight.images(), eight.labels(),
                eight.classes()));
        assertTrue(fromLogits.contains("softmax of the model's logits"), fromLogits);
        float[] p = PredictionsView.softmax(Tensor.of(new float[] {1000, 0, -1000, 1, 2, 3}, 2, 3));
        assertEquals(1f, p[0], 1e-6);
        assertEquals(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), p[5], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Views.predictions(net, eight.images(), new int[3], eight.classes()));
    }

    /**
     * Notebook 07's training (1000 images, 5 epochs of 31 batches, Adam 3e-3), then both views —
     * the pictures of docs/img (run with -Dviews.dump=DIR).
     */
    @Test
    void theTrainedNetworkOfNotebook07() {
        Sequential logits = template().logits();
        TrainStep step = new TrainStep(logits, new Adam(logits.parameters(), 3e-3));
        Batches batches = Batches.of(FashionMnist.train(1000), 32).shuffled(1).dropLast();
        for (int epoch = 0; epoch < 5; epoch++) {
            for (Batch b : batches.epoch(epoch)) {
                step.run(b.images(), b.labels());
            }
        }
        Sequential net = withSoftmax(logits);
        Dataset test = FashionMnist.test(8);
        DisplayData shown = Views.network(net, test.subset(0, 1).images(), test.labels()[0]);
        BundleAssert.inlinePngs(shown, "network-at-work");
        DisplayData pred = Views.predictions(net, test);
        BundleAssert.picture(pred, "predictions");
        String text = BundleAssert.text(pred);
        int right = Integer.parseInt(text.substring(text.lastIndexOf('\n') + 1).split(" ")[0]);
        assertTrue(right >= 5, "the trained net gets most of 8 test images right: " + text);
        System.out.println("network at work: " + BundleAssert.size(shown) + " characters; predictions: "
                + BundleAssert.size(pred));
    }
}
