package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.check.GradCheck;
import layerlab.nn.TestLayers.ChannelSum;
import layerlab.nn.TestLayers.Scale;
import layerlab.nn.TestLayers.Shift;
import layerlab.nn.TestLayers.Square;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Sequential: order of forward and backward, parameters, modes, shapes, errors. */
class SequentialTest {
    @Test
    void forwardRunsInOrder() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        // (x + 1)·2 versus x·2 + 1
        assertEquals(Tensor.of(new float[] {4, 6, 8}, 3), new Sequential(new Shift(1), new Scale("w", 2)).forward(x));
        assertEquals(Tensor.of(new float[] {3, 5, 7}, 3), new Sequential(new Scale("w", 2), new Shift(1)).forward(x));
    }

    @Test
    void backwardRunsTheChainRuleInReverse() {
        // y = (a·x)² · b  →  dy/dx = 2a²x·b, dy/da = 2a x²·b, dy/db = (a x)²
        Scale a = new Scale("a", 3);
        Scale b = new Scale("b", -0.5f);
        Sequential net = new Sequential(a, new Square(), b);
        Tensor x = Tensor.of(new float[] {1, -2}, 2);
        Tensor y = net.forward(x);
        assertEquals(Tensor.of(new float[] {-4.5f, -18}, 2), y);
        Tensor dx = net.backward(Tensor.ones(2));
        assertEquals(Tensor.of(new float[] {-9, 18}, 2), dx);
        assertEquals(-3 * 1 - 3 * 4, a.w.grad().data()[0], 1e-6); // Σ 2a x² b
        assertEquals(9 + 36, b.w.grad().data()[0], 1e-6);         // Σ (a x)²
    }

    @Test
    void gradientCheckThroughTheChain() {
        Sequential net = new Sequential(new Scale("a", 0.7f), new Square(), new Scale("b", 1.3f), new ChannelSum());
        var errors = GradCheck.check(net, Tensor.randn(Seed.of(3), 2, 3, 2, 2), 5);
        System.out.println("Sequential float32 gradcheck: " + errors);
        assertEquals(3, errors.size());
        errors.values().forEach(e -> assertTrue(e < 1e-2, errors.toString()));
    }

    @Test
    void parametersAreTheChildrensEachOnce() {
        Scale a = new Scale("a", 1);
        Scale b = new Scale("b", 1);
        Sequential net = new Sequential(a, new Shift(1), b, a); // a shared: its w once
        assertEquals(List.of(a.w, b.w), net.parameters());
        assertEquals(List.of(a.w, b.w), new Sequential(new Sequential(a), b).parameters());
        assertTrue(new Sequential(new Shift(2)).parameters().isEmpty());
    }

    @Test
    void trainModePropagatesIntoNestedContainers() {
        Scale a = new Scale("a", 1);
        Scale b = new Scale("b", 1);
        Scale c = new Scale("c", 1);
        Sequential net = new Sequential(a, new Residual(new Sequential(b)), new Concat(c));
        net.train(false);
        assertFalse(a.training || b.training || c.training);
        net.train(true);
        assertTrue(a.training && b.training && c.training);
    }

    @Test
    void layersAreExposedReadOnly() {
        Scale a = new Scale("a", 1);
        Sequential net = new Sequential(a, new ReLU());
        assertEquals(2, net.layers().size());
        assertSame(a, net.get(0));
        assertThrows(UnsupportedOperationException.class, () -> net.layers().add(new ReLU()));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> net.get(2));
        assertEquals("Sequential(2 layers): expected an index in 0…1, got 2", e.getMessage());
    }

    @Test
    void outputShapeChainsWithoutComputing() {
        Scale a = new Scale("a", 1);
        Sequential net = new Sequential(a, new ChannelSum(), new ReLU());
        assertArrayEquals(new int[] {4, 1, 5, 5}, net.outputShape(new int[] {4, 3, 5, 5}));
        assertEquals(0, a.forwards);
    }

    @Test
    void emptySequentialIsTheIdentity() {
        Sequential id = new Sequential();
        Tensor x = Tensor.randn(Seed.of(1), 2, 3);
        assertEquals(x, id.forward(x));
        assertEquals(x, id.backward(x));
        assertEquals("Sequential(0 layers)", id.toString());
    }

    @Test
    void errorsAreClear() {
        Sequential net = new Sequential(new ReLU(), new ReLU());
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> net.backward(Tensor.ones(2)));
        assertEquals("Sequential(2 layers): backward called before forward", early.getMessage());
        net.forward(Tensor.ones(2, 3));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> net.backward(Tensor.ones(3, 2)));
        assertEquals("Sequential(2 layers): expected dOut of shape [2, 3], got shape [3, 2]", shape.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> new Sequential(new ReLU(), null));
        assertEquals("Sequential: expected a layer at index 1, got null", nul.getMessage());
    }
}
