package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Flatten: shapes, order of values, backward, libtorch parity, errors. */
class FlattenTest {
    @Test
    void mergesEverythingAfterTheBatchKeepingRowMajorOrder() {
        Tensor x = Tensor.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2);
        Flatten f = new Flatten();
        Tensor y = f.forward(x);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertEquals(13f, y.get(1, 1), "x[1,0,0,1] is element 1 of row 1");
        assertArrayEquals(x.data(), y.data());
        Tensor dx = f.backward(Tensor.arange(24).reshape(2, 12));
        assertArrayEquals(new int[] {2, 3, 2, 2}, dx.shape());
        assertEquals(x, dx);
        assertArrayEquals(new int[] {4, 105}, f.outputShape(new int[] {4, 3, 5, 7}));
        assertArrayEquals(new int[] {4, 6}, f.outputShape(new int[] {4, 6}));
        assertEquals("Flatten()", f.toString());
    }

    @Test
    void matchesLibtorchOnRanksTwoToFive() {
        for (int[] shape : new int[][] {{3, 4}, {2, 3, 5}, {2, 3, 4, 5}, {1, 2, 3, 4, 5}}) {
            Tensor x = Tensor.randn(Seed.of(shape.length), shape);
            Flatten f = new Flatten();
            Tensor y = f.forward(x);
            Tensor dy = Tensor.randn(Seed.of(40), y.shape());
            Tensor dx = f.backward(dy);
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tx = t.withGrad(x);
                NDArray ty = tx.flatten(1, -1);
                gc.backward(ty.mul(t.of(dy)).sum());
                Compare.assertClose("Flatten " + java.util.Arrays.toString(shape) + " forward", Torch.tensor(ty), y, 0);
                Compare.assertClose("Flatten " + java.util.Arrays.toString(shape) + " dX", Torch.grad(tx), dx, 0);
            }
        }
    }

    @Test
    void gradientCheck() {
        // Flatten has no kernel (a reshape); the layer-level check covers its backward
        var errors = GradCheck.check(new Flatten(), Tensor.randn(Seed.of(3), 2, 3, 4, 4), 5);
        System.out.println("Flatten gradcheck (float32 layer check): " + errors);
        assertTrue(errors.get("input") < 1e-3, errors.toString());
    }

    @Test
    void errorsNameTheLayer() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Flatten().forward(Tensor.ones(5)));
        assertEquals("Flatten(): expected rank 2 to 5 (N, …), got shape [5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Flatten().outputShape(new int[] {5}));
        assertEquals("Flatten(): expected rank 2 to 5 (N, …), got shape [5]", e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> new Flatten().backward(Tensor.ones(2, 3)));
        assertEquals("Flatten(): backward called before forward", s.getMessage());
        Flatten f = new Flatten();
        f.forward(Tensor.ones(2, 3, 4));
        e = assertThrows(IllegalArgumentException.class, () -> f.backward(Tensor.ones(2, 3, 4)));
        assertEquals("Flatten(): expected dOut of shape [2, 12], got shape [2, 3, 4]", e.getMessage());
    }
}
