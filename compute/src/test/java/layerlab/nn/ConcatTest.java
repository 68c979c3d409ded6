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

/** Concat: branches on the same input, joined on the channel axis; dOut split, dX summed. */
class ConcatTest {
    @Test
    void joinsBranchesOnTheChannelAxis() {
        // x: (N=2, C=2, L=2)
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Concat c = new Concat(new Scale("w", 10), new ChannelSum());
        Tensor y = c.forward(x);
        assertArrayEquals(new int[] {2, 3, 2}, y.shape());
        assertArrayEquals(new float[] {10, 20, 30, 40, 4, 6, 50, 60, 70, 80, 12, 14}, y.data());
    }

    @Test
    void backwardSplitsDOutAndSumsTheBranchesDx() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Scale w = new Scale("w", 10);
        Concat c = new Concat(w, new ChannelSum());
        c.forward(x);
        Tensor dOut = Tensor.of(new float[] {1, 2, 3, 4, 100, 200, 5, 6, 7, 8, 300, 400}, 2, 3, 2);
        Tensor dx = c.backward(dOut);
        // branch 0: 10·dOut[:, 0:2]; branch 1 broadcasts dOut[:, 2] over both channels
        assertArrayEquals(new float[] {110, 220, 130, 240, 350, 460, 370, 480}, dx.data());
        assertEquals(1 + 4 + 9 + 16 + 25 + 36 + 49 + 64, w.w.grad().data()[0]);
    }

    @Test
    void gradientCheckOnRank4() {
        Concat c = new Concat(new Square(), new Sequential(new Scale("a", 0.9f), new ChannelSum()), new Scale("b", -1.1f));
        var errors = GradCheck.check(c, Tensor.randn(Seed.of(8), 2, 3, 2, 2), 3);
        System.out.println("Concat float32 gradcheck: " + errors);
        assertEquals(3, errors.size());
        errors.values().forEach(e -> assertTrue(e < 1e-2, errors.toString()));
    }

    @Test
    void shapesParametersAndName() {
        Scale a = new Scale("a", 1);
        Concat c = new Concat(a, new ChannelSum(), new ReLU());
        assertArrayEquals(new int[] {5, 7, 4, 4}, c.outputShape(new int[] {5, 3, 4, 4}));
        assertEquals(List.of(a.w), c.parameters());
        assertEquals("Concat(Scale(a), ChannelSum(), ReLU())", c.toString());
        assertEquals(2, new Concat(new ReLU(), new ReLU()).forward(Tensor.ones(1, 1)).size(1));
    }

    @Test
    void mismatchedBranchesAreAClearError() {
        Layer squash = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return Tensor.zeros(x.size(0), x.size(1), 1);
            }

            @Override
            public Tensor backward(Tensor dOut) {
                return dOut;
            }

            @Override
            public String toString() {
                return "Squash()";
            }
        };
        Concat c = new Concat(new ReLU(), squash);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.ones(2, 3, 4)));
        assertEquals("Concat(ReLU(), Squash()): expected branch outputs that differ only in channels (axis 1), "
                + "got shape [2, 3, 4] from branch 0 and [2, 3, 1] from branch 1", e.getMessage());
        IllegalArgumentException rank1 = assertThrows(IllegalArgumentException.class, () -> new Concat(new ReLU()).forward(Tensor.ones(3)));
        assertEquals("Concat(ReLU()): expected branch outputs of rank >= 2 (N, C, …), got shape [3] from branch 0", rank1.getMessage());
    }

    @Test
    void constructionAndBackwardErrors() {
        assertEquals("Concat: expected at least one branch, got none",
                assertThrows(IllegalArgumentException.class, () -> new Concat()).getMessage());
        Concat c = new Concat(new ReLU());
        assertEquals("Concat(ReLU()): backward called before forward",
                assertThrows(IllegalStateException.class, () -> c.backward(Tensor.ones(1, 1))).getMessage());
        c.forward(Tensor.ones(2, 2));
        assertThrows(IllegalArgumentException.class, () -> c.backward(Tensor.ones(2, 3)));
    }
}
