package layerlab.nn.user;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.nn.Layer;
import layerlab.nn.Linear;
import layerlab.nn.ReLU;
import layerlab.nn.Sequential;
import layerlab.nn.Sigmoid;
import layerlab.tensor.Buffers;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sequential hands the inner gradients of layerlab's own layers back for reuse during backward;
 * a student's layer (this package is not layerlab.nn) keeps whatever it was given.
 */
class SequentialReleaseTest {
    /** A student's layer that keeps the gradient it receives, to show it later. */
    static final class KeepsGradient implements Layer {
        Tensor kept;

        @Override
        public Tensor forward(Tensor x) {
            return x.copy();
        }

        @Override
        public Tensor backward(Tensor dOut) {
            kept = dOut;
            return dOut.copy();
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape.clone();
        }
    }

    private static final int B = 64;
    private static final int F = 512; // B·F ≥ Buffers.MIN_LENGTH: these gradients are recyclable

    @Test
    void innerGradientsAreRecycledAndTheResultIsUnchanged() {
        Linear l1 = new Linear(F, F, 1);
        Linear l2 = new Linear(F, F, 2);
        Linear m1 = new Linear(F, F, 1);
        Linear m2 = new Linear(F, F, 2);
        Tensor x = Tensor.randn(Seed.of(3), B, F);
        Tensor dOut = Tensor.randn(Seed.of(4), B, F);

        // by hand, nothing released
        ReLU r1 = new ReLU();
        Sigmoid s2 = new Sigmoid();
        s2.forward(m2.forward(r1.forward(m1.forward(x))));
        Tensor expected = m1.backward(r1.backward(m2.backward(s2.backward(dOut))));

        Buffers.clear();
        Sequential net = new Sequential(l1, new ReLU(), l2, new Sigmoid());
        net.forward(x);
        Tensor dx = net.backward(dOut);
        assertTrue(Buffers.heldBytes() > 0, "the inner gradients went back for reuse");
        assertArrayEquals(expected.data(), dx.data(), 0f);
        assertArrayEquals(m1.weight().grad().data(), l1.weight().grad().data(), 0f);
        assertArrayEquals(m2.weight().grad().data(), l2.weight().grad().data(), 0f);
        assertFalse(dOut.released(), "the caller's dOut is the caller's");
        assertFalse(x.released());

        // a second step reuses them and still computes the same
        net.forward(x);
        Tensor dx2 = net.backward(dOut);
        assertArrayEquals(dx.data(), dx2.data(), 0f);
    }

    @Test
    void aStudentsLayerKeepsTheGradientItWasGiven() {
        KeepsGradient keeper = new KeepsGradient();
        Sequential net = new Sequential(new Linear(F, F, 1), keeper, new ReLU(), new Linear(F, F, 2));
        Tensor x = Tensor.randn(Seed.of(3), B, F);
        net.forward(x);
        net.backward(Tensor.randn(Seed.of(4), B, F));
        Tensor first = keeper.kept;
        float[] values = first.toArray();
        List.of(1, 2).forEach(i -> {
            net.forward(x);
            net.backward(Tensor.randn(Seed.of(4 + i), B, F));
        });
        assertFalse(first.released(), "a gradient handed to a student's layer is never released");
        assertArrayEquals(values, first.data(), 0f, "nor overwritten by later steps");
    }

    /** Counts its backward calls; no parameters. */
    static final class CountsBackward implements Layer {
        int backwards;

        @Override
        public Tensor forward(Tensor x) {
            return x.copy();
        }

        @Override
        public Tensor backward(Tensor dOut) {
            backwards++;
            return dOut.copy();
        }
    }

    @Test
    void backwardParametersGivesTheSameParameterGradientsWithoutTheInputGradient() {
        Tensor x = Tensor.randn(Seed.of(5), 8, 3, 12, 12);
        Tensor dOut = Tensor.randn(Seed.of(6), 8, 10);
        Sequential full = net();
        Sequential params = net();
        full.forward(x);
        Tensor dx = full.backward(dOut);
        assertTrue(dx != null && dx.numel() == x.numel());
        params.forward(x);
        params.backwardParameters(dOut);
        for (int i = 0; i < full.parameters().size(); i++) {
            var p = full.parameters().get(i);
            assertArrayEquals(p.grad().data(), params.parameters().get(i).grad().data(), 1e-6f, p.name());
        }
        CountsBackward counter = (CountsBackward) params.get(0);
        assertEquals(0, counter.backwards, "nothing below the first layer with parameters runs backward");
        assertEquals(1, ((CountsBackward) full.get(0)).backwards);
    }

    private static Sequential net() {
        return new Sequential(new CountsBackward(),
                new layerlab.nn.Conv2d(new layerlab.nn.Conv2d.Config(3, 4, 3, 1, 1, true, false), 11),
                new ReLU(), new layerlab.nn.MaxPool(2, 2), new layerlab.nn.Flatten(), new Linear(4 * 6 * 6, 10, 12));
    }
}
