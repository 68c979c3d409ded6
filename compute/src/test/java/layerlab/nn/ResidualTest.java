package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.check.GradCheck;
import layerlab.nn.TestLayers.ChannelSum;
import layerlab.nn.TestLayers.Scale;
import layerlab.nn.TestLayers.Square;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Residual: y = x + F(x); the gradient adds along both paths. */
class ResidualTest {
    @Test
    void addsTheInputToTheInnerOutput() {
        Residual r = new Residual(new Scale("w", 3));
        assertEquals(Tensor.of(new float[] {4, -8}, 2), r.forward(Tensor.of(new float[] {1, -2}, 2)));
    }

    @Test
    void backwardSumsBothPaths() {
        Scale w = new Scale("w", 3);
        Residual r = new Residual(w);
        Tensor x = Tensor.of(new float[] {1, -2}, 2);
        r.forward(x);
        Tensor dx = r.backward(Tensor.of(new float[] {0.5f, 2}, 2));
        // dX = dOut + w·dOut = 4·dOut; dw = Σ dOut·x
        assertEquals(Tensor.of(new float[] {2, 8}, 2), dx);
        assertEquals(0.5f - 4, w.w.grad().data()[0]);
    }

    @Test
    void identityPathKeepsTheGradientWhenTheBranchIsDead() {
        Residual r = new Residual(new Scale("w", 0));
        r.forward(Tensor.randn(Seed.of(1), 5));
        Tensor d = Tensor.randn(Seed.of(2), 5);
        assertEquals(d, r.backward(d));
    }

    @Test
    void gradientCheck() {
        Residual r = new Residual(new Sequential(new Scale("a", 0.8f), new Square(), new Scale("b", -0.6f)));
        var errors = GradCheck.check(r, Tensor.randn(Seed.of(4), 2, 2, 3), 9);
        System.out.println("Residual float32 gradcheck: " + errors);
        errors.values().forEach(e -> assertTrue(e < 1e-2, errors.toString()));
    }

    @Test
    void parametersShapeAndToString() {
        Scale w = new Scale("w", 1);
        Residual r = new Residual(w);
        assertEquals(List.of(w.w), r.parameters());
        assertArrayEquals(new int[] {2, 3, 4, 4}, r.outputShape(new int[] {2, 3, 4, 4}));
        assertEquals("Residual(Scale(w))", r.toString());
    }

    @Test
    void shapeChangingInnerIsAClearError() {
        Residual r = new Residual(new ChannelSum());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.forward(Tensor.ones(2, 3, 4)));
        assertEquals("Residual(ChannelSum()): expected the inner layer to keep the input shape [2, 3, 4] "
                + "(y = x + F(x)), got F(x) of shape [2, 1, 4]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.outputShape(new int[] {2, 3, 4}));
    }

    @Test
    void backwardErrors() {
        Residual r = new Residual(new ReLU());
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> r.backward(Tensor.ones(2)));
        assertEquals("Residual(ReLU()): backward called before forward", early.getMessage());
        r.forward(Tensor.ones(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.backward(Tensor.ones(3)));
        assertEquals("Residual(ReLU()): expected dOut of shape [2], got shape [3]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Residual(null));
    }
}
