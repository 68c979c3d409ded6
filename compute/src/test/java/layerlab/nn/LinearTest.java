package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import layerlab.backend.cpu.LinearKernels64;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Linear: Y = X·Aᵀ + b with A the lecture's N×M matrix. */
class LinearTest {
    private static Linear withWeights(float[] a, float[] b, int in, int out) {
        Linear l = new Linear(in, out, 1);
        System.arraycopy(a, 0, l.weight().value().data(), 0, a.length);
        System.arraycopy(b, 0, l.bias().value().data(), 0, b.length);
        return l;
    }

    @Test
    void smallExampleByHand() {
        // A (N=2, M=3), b (2); two inputs as rows.
        Linear l = withWeights(new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, -1f}, 3, 2);
        Tensor y = l.forward(Tensor.of(new float[] {1, 0, -1, 2, 1, 0}, 2, 3));
        assertArrayEquals(new float[] {-1.5f, -3f, 4.5f, 12f}, y.data());
        Tensor dx = l.backward(Tensor.ones(2, 2));
        assertArrayEquals(new float[] {5, 7, 9, 5, 7, 9}, dx.data()); // dY·A
        assertArrayEquals(new float[] {3, 1, -1, 3, 1, -1}, l.weight().grad().data()); // dYᵀ·X
        assertArrayEquals(new float[] {2, 2}, l.bias().grad().data()); // Σ dY
        l.backward(Tensor.ones(2, 2)); // parameter gradients accumulate
        assertArrayEquals(new float[] {6, 2, -2, 6, 2, -2}, l.weight().grad().data());
        assertArrayEquals(new float[] {4, 4}, l.bias().grad().data());
        assertEquals("Linear(in=3, out=2)", l.toString());
        assertArrayEquals(new int[] {5, 2}, l.outputShape(new int[] {5, 3}));
    }

    @Test
    void initializedLikePyTorchUniformWithinOneOverSqrtIn() {
        Linear l = new Linear(256, 300, 9);
        float bound = 1f / 16f;
        double sum = 0;
        double sq = 0;
        for (float v : l.weight().value().data()) {
            assertTrue(v >= -bound && v <= bound, "weight " + v + " outside ±" + bound);
            sum += v;
            sq += (double) v * v;
        }
        int n = 256 * 300;
        double mean = sum / n;
        double var = sq / n - mean * mean;
        System.out.printf("Linear init: mean %.2e, var %.4e (uniform: %.4e)%n", mean, var, bound * bound / 3.0);
        assertEquals(0, mean, 1e-3);
        assertEquals(bound * bound / 3.0, var, 0.02 * bound * bound / 3.0);
        for (float v : l.bias().value().data()) {
            assertTrue(v >= -bound && v <= bound, "bias " + v);
        }
        assertEquals(new Linear(256, 300, 9).weight().value(), l.weight().value());
        assertFalse(new Linear(256, 300, 10).weight().value().equals(l.weight().value()));
        assertEquals("weight", l.parameters().get(0).name());
        assertEquals("bias", l.parameters().get(1).name());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        int batch = 3;
        int in = 5;
        int out = 4;
        double[] x = LayerChecks.randn64(1, batch * in, 1);
        double[] a = LayerChecks.randn64(2, out * in, 1);
        double[] b = LayerChecks.randn64(3, out, 1);
        LayerChecks.grad64("Linear dX", x, in1 -> forward(in1, a, b, batch, in, out),
                (in1, dy) -> backward(in1, a, dy, batch, in, out)[0]);
        LayerChecks.grad64("Linear dA", a, a1 -> forward(x, a1, b, batch, in, out),
                (a1, dy) -> backward(x, a1, dy, batch, in, out)[1]);
        LayerChecks.grad64("Linear db", b, b1 -> forward(x, a, b1, batch, in, out),
                (b1, dy) -> backward(x, a, dy, batch, in, out)[2]);
    }

    private static double[] forward(double[] x, double[] a, double[] b, int batch, int in, int out) {
        double[] y = new double[batch * out];
        LinearKernels64.linearForward(y, new double[in * out], x, a, b, batch, in, out);
        return y;
    }

    private static double[][] backward(double[] x, double[] a, double[] dy, int batch, int in, int out) {
        double[] dx = new double[batch * in];
        double[] da = new double[out * in];
        double[] db = new double[out];
        LinearKernels64.linearBackward(dx, da, db, dy, x, a, batch, in, out);
        return new double[][] {dx, da, db};
    }

    @Test
    void matchesLibtorchOnShapesThatCrossTheTiles() {
        // (B, M, N): single element; odd; past TILE_K = 128 and TILE_T = 32; past TILE_J = 512; batch > TILE_K.
        // and batch 1 … 4 (VecGemv: matrix-vector products), in and out odd or not a multiple of the vector
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {9, 130, 67}, {33, 600, 140}, {130, 70, 9},
                          {1, 4096, 1001}, {1, 1001, 7}, {2, 3, 1000}, {3, 1000, 3}, {4, 777, 129}};
        long seed = 40;
        for (int[] s : shapes) {
            Linear l = new Linear(s[1], s[2], seed++);
            Tensor x = Tensor.randn(Seed.of(seed++), s[0], s[1]);
            Tensor dy = Tensor.randn(Seed.of(seed++), s[0], s[2]);
            Tensor y = l.forward(x);
            Tensor dx = l.backward(dy);
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tx = t.withGrad(x);
                NDArray tw = t.withGrad(l.weight().value());
                NDArray tb = t.withGrad(l.bias().value());
                NDArray ty = tx.getNDArrayInternal().linear(tx, tw, tb).singletonOrThrow();
                gc.backward(ty.mul(t.of(dy)).sum());
                String what = "Linear " + Arrays.toString(s) + " ";
                Compare.assertClose(what + "forward", Torch.tensor(ty), y, 1e-4);
                Compare.assertClose(what + "dX", Torch.grad(tx), dx, 1e-4);
                Compare.assertClose(what + "dA", Torch.grad(tw), l.weight().grad(), 1e-4);
                Compare.assertClose(what + "db", Torch.grad(tb), l.bias().grad(), 1e-4);
            }
        }
    }

    @Test
    void errorsNameTheLayerWhatItExpectedAndWhatItGot() {
        Linear l = new Linear(6, 4, 1);
        LayerChecks.fails(IllegalArgumentException.class,
                "Linear(in=6, out=4): expected rank 2 (B, 6), got shape [2, 3, 2]; flatten the input first (Flatten)",
                () -> l.forward(Tensor.zeros(2, 3, 2)));
        LayerChecks.fails(IllegalArgumentException.class,
                "Linear(in=6, out=4): expected 6 input features (shape [B, 6]), got 5 (shape [2, 5])",
                () -> l.forward(Tensor.zeros(2, 5)));
        LayerChecks.fails(IllegalArgumentException.class,
                "Linear(in=6, out=4): expected 6 input features (shape [B, 6]), got 5 (shape [2, 5])",
                () -> l.outputShape(new int[] {2, 5}));
        LayerChecks.fails(IllegalStateException.class, "Linear(in=6, out=4): backward called before forward",
                () -> l.backward(Tensor.zeros(2, 4)));
        l.forward(Tensor.zeros(2, 6));
        LayerChecks.fails(IllegalArgumentException.class, "Linear(in=6, out=4): expected dOut of shape [2, 4], got shape [2, 5]",
                () -> l.backward(Tensor.zeros(2, 5)));
        LayerChecks.fails(IllegalArgumentException.class, "Linear(in=0, out=4): expected in >= 1 and out >= 1, got in=0, out=4",
                () -> new Linear(0, 4, 1));
        // 46341² overflows an int: the product is checked as a long, not left to new float[]
        LayerChecks.fails(IllegalArgumentException.class, "Linear(in=46341, out=46341): expected in × out <= 2147483639"
                + " weights (one Java array), got 46341 × 46341 = 2147488281", () -> new Linear(46341, 46341, 1));
        LayerChecks.fails(IllegalArgumentException.class, "Linear(in=2147483647, out=2): expected in × out <= 2147483639"
                + " weights (one Java array), got 2147483647 × 2 = 4294967294", () -> new Linear(Integer.MAX_VALUE, 2, 1));
    }
}
