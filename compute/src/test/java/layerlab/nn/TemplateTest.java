package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The lecture's template INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → Softmax. */
class TemplateTest {
    private static List<String> kinds(Sequential net) {
        return net.layers().stream().map(l -> l.getClass().getSimpleName()).toList();
    }

    @Test
    void buildsTheTemplateInOrder() {
        Sequential net = Template.input(1, 28, 28).convRelu(2, 8, 16).fcRelu(64).classes(10).build();
        assertEquals(List.of("Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool",
                "Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool",
                "Flatten", "Linear", "ReLU", "Linear", "Softmax"), kinds(net));
        assertEquals(1, ((Softmax) net.get(14)).axis());
        Summary s = net.summary(1, 1, 28, 28);
        System.out.print(s);
        assertArrayEquals(new int[] {1, 8, 14, 14}, s.rows().get(4).outputShape());
        assertArrayEquals(new int[] {1, 16, 7, 7}, s.rows().get(9).outputShape());
        assertArrayEquals(new int[] {1, 784}, s.rows().get(10).outputShape());
        assertArrayEquals(new int[] {1, 10}, s.outputShape());
        // conv: out·(in·k² + 1); fc: out·(in + 1)
        long expected = 8 * (1 * 9 + 1) + 8 * (8 * 9 + 1) + 16 * (8 * 9 + 1) + 16 * (16 * 9 + 1)
                + 64 * (784 + 1) + 10 * (64 + 1);
        assertEquals(expected, s.totalTrainable());
        assertEquals(0, s.totalNonTrainable());
    }

    @Test
    void batchNormCountsFourNumbersPerFeatureMap() {
        // L = N·M = 2·2 BN layers of M = 8 maps: N_BN = 4LM = 128 (2LM trainable γ, β; 2LM running μ, σ²)
        Sequential net = Template.input(1, 28, 28).convRelu(2, 8, 8).fcRelu(32).withBatchNorm().build();
        Summary s = net.summary(1, 1, 28, 28);
        System.out.print(s);
        List<Summary.Row> bn = s.rows().stream().filter(r -> r.name().startsWith("BatchNorm")).toList();
        assertEquals(4, bn.size());
        long nBn = bn.stream().mapToLong(Summary.Row::total).sum();
        assertEquals(4 * 4 * 8, nBn);
        assertEquals(2 * 4 * 8, bn.stream().mapToLong(Summary.Row::trainable).sum());
        assertEquals(2 * 4 * 8, s.totalNonTrainable(), "only BN's running statistics are non-trainable");
        long nConv = s.rows().stream().filter(r -> r.name().startsWith("Conv2d")).mapToLong(Summary.Row::total).sum();
        assertTrue(nBn < nConv / 5, "N_BN ≪ N_CONV: " + nBn + " vs " + nConv);
    }

    @Test
    void batchNormSitsBetweenConvAndReluAndConvLosesItsBias() {
        Sequential net = Template.input(3, 8, 8).convRelu(1, 4).withBatchNorm().build();
        assertEquals(List.of("Conv2d", "BatchNorm", "ReLU", "MaxPool", "Flatten", "Linear", "Softmax"), kinds(net));
        Conv2d conv = (Conv2d) net.get(0);
        assertFalse(conv.config().bias());
        assertEquals(List.of("weight"), conv.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void dropoutFollowsEachHiddenFcRelu() {
        Sequential net = Template.input(1, 4, 4).convRelu(1, 2).fcRelu(8, 6).withDropout(0.5).noPool().build();
        assertEquals(List.of("Conv2d", "ReLU", "Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout",
                "Linear", "Softmax"), kinds(net));
        assertEquals(0.5, ((Dropout) net.get(5)).keepProbability());
    }

    @Test
    void logitsIsTheSameNetWithoutSoftmax() {
        Template t = Template.input(1, 12, 12).convRelu(1, 4).fcRelu(16).classes(5).seed(3);
        Sequential probs = t.build();
        Sequential logits = t.logits();
        assertEquals(probs.size() - 1, logits.size());
        assertFalse(logits.get(logits.size() - 1) instanceof Softmax);
        Tensor x = Tensor.rand(Seed.of(1), 2, 1, 12, 12);
        Tensor z = logits.forward(x);
        Tensor p = probs.forward(x);
        assertArrayEquals(new int[] {2, 5}, p.shape());
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            double zMax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 5; j++) {
                sum += p.get(i, j);
                zMax = Math.max(zMax, z.get(i, j));
            }
            assertEquals(1.0, sum, 1e-5);
            double norm = 0;
            for (int j = 0; j < 5; j++) {
                norm += Math.exp(z.get(i, j) - zMax);
            }
            assertEquals(Math.exp(z.get(i, 0) - zMax) / norm, p.get(i, 0), 1e-5, "same weights under both");
        }
    }

    @Test
    void theSeedFixesEveryWeight() {
        Template t = Template.input(1, 8, 8).convRelu(1, 4).fcRelu(8).withBatchNorm().withDropout(0.8);
        List<Parameter> a = t.seed(5).build().parameters();
        List<Parameter> b = t.seed(5).build().parameters();
        List<Parameter> c = t.seed(6).build().parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).value(), b.get(i).value(), a.get(i).name());
        }
        assertFalse(a.get(0).value().equals(c.get(0).value()));
    }

    @Test
    void kernelAndPoolOptions() {
        Sequential net = Template.input(2, 16, 16).convRelu(1, 4, 4).kernel(5).noPool().build();
        assertArrayEquals(new int[] {1, 4, 16, 16}, net.summary(1, 2, 16, 16).rows().get(3).outputShape());
        assertEquals(5, ((Conv2d) net.get(0)).config().kernel());
        assertEquals(2, ((Conv2d) net.get(0)).config().padding());
        // M = 0: a multilayer perceptron on the flattened image
        assertEquals(List.of("Flatten", "Linear", "ReLU", "Linear", "Softmax"),
                kinds(Template.input(1, 4, 4).fcRelu(10).build()));
    }

    @Test
    void describesItselfInTheLecturesNotation() {
        assertEquals("INPUT(1×28×28) → [[CONV3×3 → BN → RELU]·2 → POOL]·2 [8, 16] → [FC → RELU → DROPOUT(p=0.5)]·1 [64]"
                + " → FC(10) → Softmax", Template.input(1, 28, 28).convRelu(2, 8, 16).fcRelu(64).withBatchNorm()
                .withDropout(0.5).toString());
    }

    @Test
    void badConfigurationsAreClearErrors() {
        Template t = Template.input(1, 28, 28);
        assertEquals("Template: expected N >= 1 convolutions per block, got 0",
                assertThrows(IllegalArgumentException.class, () -> t.convRelu(0, 8)).getMessage());
        assertEquals("Template: expected at least 2 classes, got 1",
                assertThrows(IllegalArgumentException.class, () -> t.classes(1)).getMessage());
        assertEquals("Template: expected a dropout keep probability p in (0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> t.withDropout(1.5)).getMessage());
        assertEquals("Template: expected channel widths > 0, got [8, 0]",
                assertThrows(IllegalArgumentException.class, () -> t.convRelu(1, 8, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.input(0, 28, 28));
        // three 2×2 pools on 4×4 leave nothing: the pooling layer says so
        IllegalArgumentException shrink = assertThrows(IllegalArgumentException.class,
                () -> Template.input(1, 4, 4).convRelu(1, 2, 2, 2).build());
        assertTrue(shrink.getMessage().startsWith("MaxPool(kernel=2, stride=2)"), shrink.getMessage());
    }

    @Test
    void aBuiltNetRunsForwardAndBackward() {
        Sequential net = Template.input(1, 28, 28).convRelu(1, 4).fcRelu(16).withBatchNorm().withDropout(0.9).logits();
        Tensor z = net.forward(Tensor.rand(Seed.of(2), 3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 10}, z.shape());
        Tensor dx = net.backward(Tensor.ones(3, 10));
        assertArrayEquals(new int[] {3, 1, 28, 28}, dx.shape());
        assertInstanceOf(Conv2d.class, net.get(0));
    }
}
