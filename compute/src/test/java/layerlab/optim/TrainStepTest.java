package layerlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import layerlab.data.Batch;
import layerlab.data.Batches;
import layerlab.data.Dataset;
import layerlab.data.FashionMnist;
import layerlab.nn.*;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** TrainStep: one step does forward, loss, backward, update; and a template CNN learns Fashion-MNIST. */
class TrainStepTest {
    @Test
    void oneStepUpdatesParametersAndReportsTheBatch() {
        Linear fc = new Linear(4, 3, 11);
        Sequential net = new Sequential(fc);
        float[] before = fc.weight().value().toArray();
        TrainStep step = new TrainStep(net, new SGD(net.parameters(), 0.1));
        Tensor x = Tensor.randn(Seed.of(12), 5, 4);
        int[] y = {0, 1, 2, 1, 0};
        TrainStep.Result r = step.run(x, y);
        assertEquals(5, r.size());
        assertEquals(new CrossEntropyLoss().forward(new Sequential(new Linear(4, 3, 11)).forward(x), y), r.loss(), 1e-6);
        assertFalse(java.util.Arrays.equals(before, fc.weight().value().data()), "the step moved the weights");
        float after = step.run(x, y).loss();
        assertTrue(after < r.loss(), "the same batch again has a lower loss: " + r.loss() + " → " + after);
    }

    @Test
    void stepEqualsTheManualLoop() {
        Tensor x = Tensor.randn(Seed.of(3), 6, 4);
        int[] y = {2, 0, 1, 1, 2, 0};
        Sequential a = new Sequential(new Linear(4, 3, 5));
        Sequential b = new Sequential(new Linear(4, 3, 5));
        new TrainStep(a, new SGD(a.parameters(), 0.5, 0.9)).run(x, y);
        SGD sgd = new SGD(b.parameters(), 0.5, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        sgd.zeroGrad();
        loss.forward(b.forward(x), y);
        b.backward(loss.backward());
        sgd.step();
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(b.parameters().get(i).value(), a.parameters().get(i).value());
        }
    }

    @Test
    void accuracyCountsArgmaxHits() {
        Tensor logits = Tensor.of(new float[] {1, 5, 2, 9, 0, 0, 3, 3, 1}, 3, 3);
        // row 3 is a tie between classes 0 and 1: the first maximum (0) is the prediction
        assertEquals(2, TrainStep.correct(logits, new int[] {1, 0, 1}));
        assertEquals(3, TrainStep.correct(logits, new int[] {1, 0, 0}));
        assertEquals(new TrainStep.Result(1f, 2, 3).accuracy(), 2 / 3.0, 1e-12);
    }

    @Test
    void evaluateLeavesParametersAloneInEvalMode() {
        Dropout drop = Dropout.keep(0.5).withSeed(1);
        Linear fc = new Linear(4, 3, 2);
        Sequential net = new Sequential(drop, fc);
        float[] w = fc.weight().value().toArray();
        Tensor x = Tensor.randn(Seed.of(4), 2, 4);
        TrainStep.Result r1 = TrainStep.evaluate(net, x, new int[] {0, 1});
        TrainStep.Result r2 = TrainStep.evaluate(net, x, new int[] {0, 1});
        assertEquals(r1, r2, "no dropout in eval mode: the same result twice");
        assertArrayEquals(w, fc.weight().value().data());
        assertTrue(drop.training(), "training mode restored");
    }

    @Test
    void refusesAModelEndingInSoftmax() {
        Sequential net = Template.input(1, 4, 4).fcRelu(4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainStep(net, new SGD(net.parameters(), 0.1)));
        assertEquals("TrainStep: expected a model that returns logits, got one ending in Softmax(axis=1); "
                + "CrossEntropyLoss applies log-softmax itself (use Template.logits(), or drop the Softmax)", e.getMessage());
        Sequential ok = new Sequential(new Linear(2, 2, 1));
        TrainStep step = new TrainStep(ok, new SGD(ok.parameters(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> step.run(Tensor.ones(3, 2), new int[] {0, 1}));
    }

    @Test
    void templateCnnLearnsFashionMnist() {
        Dataset train = FashionMnist.train(2000);
        Dataset test = FashionMnist.test(1000);
        List<Float> first = trainOnce(train);
        List<Float> again = trainOnce(train);
        assertEquals(first, again, "seeded: the same losses bit for bit");
        double early = first.subList(0, 5).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double late = first.subList(first.size() - 5, first.size()).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        System.out.printf("template CNN on 2000 Fashion-MNIST images: %d steps, mean loss of the first 5 %.3f, last 5 %.3f%n",
                first.size(), early, late);
        assertTrue(early > 1.8, "starts near ln 10 = 2.30: " + early);
        assertTrue(late < early - 0.8, "loss decreases: " + early + " → " + late);
        TrainStep.Result r = TrainStep.evaluate(net, test.images(), test.labels());
        System.out.println("test accuracy after one epoch on 2000 images: " + r);
        assertTrue(r.accuracy() > 0.6, r.toString());
    }

    private Sequential net;

    private List<Float> trainOnce(Dataset train) {
        net = Template.input(1, 28, 28).convRelu(1, 8, 16).fcRelu(32).withBatchNorm().seed(7).logits();
        TrainStep step = new TrainStep(net, new Adam(net.parameters(), 3e-3));
        List<Float> losses = new ArrayList<>();
        for (Batch b : Batches.of(train, 50).shuffled(1)) {
            losses.add(step.run(b.images(), b.labels()).loss());
        }
        return losses;
    }
}
