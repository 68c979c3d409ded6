package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.PoolKernels64;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MaxPool, AvgPool, GlobalAvgPool: slides' examples, libtorch parity, float64 gradient checks, errors. */
class PoolTest {
    /** One parity case: input shape and the pooling config. */
    record Case(int[] shape, int kernel, int stride, int padding, boolean ceil) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + " k=" + kernel + " s=" + stride + " p=" + padding + (ceil ? " ceil" : "");
        }
    }

    /** Odd sizes, padding, ceil mode, stride > kernel, batch 1, rank 5, and one big enough to run in parallel. */
    static final List<Case> CASES = List.of(
            new Case(new int[] {2, 3, 7, 9}, 2, 3, 0, true),   // the 7×9 ceil case → 3×3
            new Case(new int[] {2, 3, 7, 9}, 2, 3, 1, true),
            new Case(new int[] {1, 2, 5, 5}, 3, 2, 1, false),  // batch 1, padding
            new Case(new int[] {2, 3, 6, 7}, 3, 2, 1, true),
            new Case(new int[] {3, 2, 8, 8}, 2, 2, 0, false),
            new Case(new int[] {1, 1, 5, 7}, 3, 1, 1, false),  // overlapping windows
            new Case(new int[] {2, 2, 9, 11}, 2, 4, 1, true),  // stride > kernel, padding
            new Case(new int[] {2, 2, 4, 5}, 1, 2, 0, false),  // 1×1 windows, stride 2
            new Case(new int[] {4, 16, 32, 32}, 2, 2, 0, false), // runs on several threads
            new Case(new int[] {2, 2, 5, 6, 7}, 2, 2, 1, true), // rank 5 (N,C,D,H,W)
            new Case(new int[] {1, 3, 4, 5, 5}, 3, 2, 1, false),
            new Case(new int[] {1, 2, 3, 7, 8}, 3, 3, 0, true),
            new Case(new int[] {2, 1, 6, 5, 7}, 2, 3, 1, false),
            new Case(new int[] {1, 2, 1, 4, 5}, 2, 2, 0, true), // ceil keeps a partial window over T = 1
            new Case(new int[] {1, 1, 2, 5}, 3, 2, 1, false)); // H < kernel, fits with the padding

    // ---- the slides ----------------------------------------------------------------------------

    @Test
    void slideExampleMaxPool2x2Stride2() {
        Tensor x = Tensor.of2d(new float[][] {{1, 3, 2, 9}, {7, 4, 1, 5}, {8, 5, 2, 3}, {4, 2, 1, 4}}).reshape(1, 1, 4, 4);
        MaxPool pool = new MaxPool(2, 2);
        Tensor y = pool.forward(x);
        assertEquals(Tensor.of(new float[] {7, 9, 8, 4}, 1, 1, 2, 2), y);
        assertArrayEquals(new int[] {4, 3, 8, 15}, pool.lastArgmax(), "winners' flat indices into x");
        Tensor dx = pool.backward(Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 2, 2));
        float[] expected = new float[16];
        expected[4] = 10;
        expected[3] = 20;
        expected[8] = 30;
        expected[15] = 40;
        assertArrayEquals(expected, dx.data(), "the whole gradient goes to each window's maximum");
    }

    @Test
    void slideClassicMaxPoolIllustration() {
        Tensor x = Tensor.of2d(new float[][] {{1, 1, 2, 4}, {5, 6, 7, 8}, {3, 2, 1, 0}, {1, 2, 3, 4}}).reshape(1, 1, 4, 4);
        assertEquals(Tensor.of(new float[] {6, 8, 3, 4}, 1, 1, 2, 2), new MaxPool(2, 2).forward(x));
        assertEquals(Tensor.of(new float[] {13 / 4f, 21 / 4f, 2, 2}, 1, 1, 2, 2), new AvgPool(2, 2).forward(x));
    }

    @Test
    void ceilModeDropsAWindowThatStartsInThePadding() {
        MaxPool pool = new MaxPool(new MaxPool.Config(2, 3, 0, true));
        assertArrayEquals(new int[] {1, 1, 3, 3}, pool.forward(Tensor.randn(Seed.of(1), 1, 1, 7, 9)).shape());
        assertArrayEquals(new int[] {1, 1, 3, 3}, pool.outputShape(new int[] {1, 1, 7, 9}));
        assertArrayEquals(new int[] {1, 1, 2, 3}, new MaxPool(new MaxPool.Config(2, 3, 0, false)).outputShape(new int[] {1, 1, 7, 9}));
        assertArrayEquals(new int[] {2, 3, 2, 4, 4}, new AvgPool(new AvgPool.Config(2, 2, 1, true)).outputShape(new int[] {2, 3, 3, 6, 7}));
        assertArrayEquals(new int[] {2, 3, 1, 1, 1}, new GlobalAvgPool().outputShape(new int[] {2, 3, 3, 6, 7}));
    }

    @Test
    void tiesGoToTheFirstMaximumInRowMajorOrderAsInLibtorch() {
        // small integers: many ties inside each window
        Tensor x = Tensor.zeros(2, 3, 6, 7);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = (float) Math.floor(3 * Rng.uniform(11, i));
        }
        MaxPool pool = new MaxPool(new MaxPool.Config(3, 2, 1, true));
        pool.forward(x);
        Tensor dy = Tensor.randn(Seed.of(12), pool.outputShape(x.shape()));
        Tensor dx = pool.backward(dy);
        Tensor plane = Tensor.of(new float[] {5, 5, 5, 5}, 1, 1, 2, 2);
        MaxPool flat = new MaxPool(2, 2);
        flat.forward(plane);
        assertArrayEquals(new int[] {0}, flat.lastArgmax(), "all equal: the first element wins");
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ty = tx.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), true);
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose("MaxPool dX with ties vs libtorch", Torch.grad(tx), dx, 1e-6);
        }
    }

    @Test
    void nanPropagatesAndTakesTheGradientAsInLibtorch() {
        Tensor x = Tensor.randn(Seed.of(13), 1, 2, 4, 6);
        x.set(Float.NaN, 0, 0, 1, 1);
        x.set(Float.NaN, 0, 0, 0, 1); // two NaN in one window: libtorch's later one wins
        x.set(Float.NaN, 0, 1, 3, 5);
        MaxPool pool = new MaxPool(2, 2);
        Tensor y = pool.forward(x);
        Tensor dy = Tensor.randn(Seed.of(14), y.shape());
        Tensor dx = pool.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ty = tx.getNDArrayInternal().maxPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            gc.backward(ty.mul(t.of(dy)).sum());
            float[] expected = Torch.tensor(ty).data();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.isNaN(expected[i]), Float.isNaN(y.data()[i]), "NaN at output " + i);
            }
            Compare.assertClose("MaxPool dX with NaN vs libtorch", Torch.grad(tx), dx, 0);
        }
        assertEquals(7, pool.lastArgmax()[0], "the later NaN of window (0,0) wins");
    }

    // ---- libtorch parity ----------------------------------------------------------------------

    @Test
    void maxPoolMatchesLibtorch() {
        for (Case c : CASES) {
            Tensor x = Tensor.randn(Seed.of(c.shape().length), c.shape());
            MaxPool pool = new MaxPool(new MaxPool.Config(c.kernel(), c.stride(), c.padding(), c.ceil()));
            Tensor y = pool.forward(x);
            Tensor dy = Tensor.randn(Seed.of(99), y.shape());
            Tensor dx = pool.backward(dy);
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tx = t.withGrad(x);
                int d = c.shape().length - 2;
                NDArray ty = tx.getNDArrayInternal().maxPool(cube(d, c.kernel()), cube(d, c.stride()), cube(d, c.padding()), c.ceil());
                gc.backward(ty.mul(t.of(dy)).sum());
                Compare.assertClose("MaxPool " + c + " forward", Torch.tensor(ty), y, 1e-6);
                Compare.assertClose("MaxPool " + c + " dX", Torch.grad(tx), dx, 1e-6);
            }
        }
    }

    @Test
    void avgPoolCountingPaddingMatchesLibtorch() {
        for (Case c : CASES) {
            Tensor x = Tensor.randn(Seed.of(c.shape().length + 50), c.shape());
            AvgPool pool = new AvgPool(new AvgPool.Config(c.kernel(), c.stride(), c.padding(), c.ceil(), true));
            Tensor y = pool.forward(x);
            Tensor dy = Tensor.randn(Seed.of(98), y.shape());
            Tensor dx = pool.backward(dy);
            // the test's own reference agrees with libtorch, which is what lets it stand in below
            Compare.assertClose("AvgPool reference " + c + " forward", Reference.forward(x, c, true), y, 1e-6);
            Compare.assertClose("AvgPool reference " + c + " dX", Reference.backward(x, dy, c, true), dx, 1e-6);
            if (c.shape().length == 5 && Arrays.stream(c.shape()).skip(2).anyMatch(v -> v < c.kernel())) {
                // NOTE: libtorch's avg_pool3d (not max_pool3d, not avg_pool2d) refuses an input smaller
                // than the kernel even where padding or ceil mode gives a well-defined output; layerlab
                // computes it (checked against the reference above).
                try (Torch t = new Torch()) {
                    var e = assertThrows(ai.djl.engine.EngineException.class, () -> t.of(x).getNDArrayInternal()
                            .avgPool(cube(3, c.kernel()), cube(3, c.stride()), cube(3, c.padding()), c.ceil(), true));
                    assertTrue(e.getMessage().contains("smaller than kernel size"), e.getMessage());
                }
                continue;
            }
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tx = t.withGrad(x);
                int d = c.shape().length - 2;
                NDArray ty = tx.getNDArrayInternal().avgPool(cube(d, c.kernel()), cube(d, c.stride()), cube(d, c.padding()), c.ceil(), true);
                gc.backward(ty.mul(t.of(dy)).sum());
                Compare.assertClose("AvgPool " + c + " forward", Torch.tensor(ty), y, 1e-6);
                Compare.assertClose("AvgPool " + c + " dX", Torch.grad(tx), dx, 1e-6);
            }
        }
    }

    /**
     * NOTE: DJL's avgPool ignores countIncludePad=false (DESIGN.md §4: it returns the padded
     * divisor's values), so this case reaches aten's avg_pool2d/avg_pool3d directly through a
     * one-line TorchScript module ({@link TorchScript}), forward and autograd backward. It is also
     * checked against {@link Reference}, an independent double-precision implementation of the
     * formula in this test (the only oracle where avg_pool3d refuses an input smaller than the kernel).
     */
    @Test
    void avgPoolExcludingPaddingMatchesAtenAndTheFormula() throws Exception {
        for (Case c : CASES) {
            Tensor x = Tensor.randn(Seed.of(c.shape().length + 70), c.shape());
            AvgPool pool = new AvgPool(new AvgPool.Config(c.kernel(), c.stride(), c.padding(), c.ceil(), false));
            Tensor y = pool.forward(x);
            Tensor dy = Tensor.randn(Seed.of(97), y.shape());
            Tensor dx = pool.backward(dy);
            Compare.assertClose("AvgPool(countIncludePad=false) " + c + " forward vs reference", Reference.forward(x, c, false), y, 1e-6);
            Compare.assertClose("AvgPool(countIncludePad=false) " + c + " dX vs reference", Reference.backward(x, dy, c, false), dx, 1e-6);
            if (c.shape().length == 5 && Arrays.stream(c.shape()).skip(2).anyMatch(v -> v < c.kernel())) {
                continue; // aten's avg_pool3d refuses this input (see avgPoolCountingPaddingMatchesLibtorch)
            }
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int d = c.shape().length - 2;
                String call = String.format("torch.avg_pool%dd(x, %s, %s, %s, %s, False, None)", d, list(d, c.kernel()),
                        list(d, c.stride()), list(d, c.padding()), c.ceil() ? "True" : "False");
                NDArray tx = t.withGrad(x);
                NDArray ty = TorchScript.call(t, call, tx);
                gc.backward(ty.mul(t.of(dy)).sum());
                Compare.assertClose("AvgPool(countIncludePad=false) " + c + " forward vs aten", Torch.tensor(ty), y, 1e-6);
                Compare.assertClose("AvgPool(countIncludePad=false) " + c + " dX vs aten", Torch.grad(tx), dx, 1e-6);
            }
        }
        // with padding the two divisors really differ at the border
        Tensor ones = Tensor.ones(1, 1, 4, 4);
        assertEquals(1f, new AvgPool(new AvgPool.Config(3, 2, 1, false, false)).forward(ones).get(0, 0, 0, 0));
        assertEquals(4 / 9f, new AvgPool(new AvgPool.Config(3, 2, 1, false, true)).forward(ones).get(0, 0, 0, 0));
    }

    private static String list(int dims, int v) {
        return "[" + String.join(", ", java.util.Collections.nCopies(dims, Integer.toString(v))) + "]";
    }

    @Test
    void globalAvgPoolMatchesLibtorch() {
        for (int[] shape : List.of(new int[] {2, 3, 5, 7}, new int[] {1, 4, 1, 1}, new int[] {2, 2, 3, 4, 5}, new int[] {3, 16, 28, 28})) {
            Tensor x = Tensor.randn(Seed.of(shape.length + 7), shape);
            GlobalAvgPool pool = new GlobalAvgPool();
            Tensor y = pool.forward(x);
            Tensor dy = Tensor.randn(Seed.of(96), y.shape());
            Tensor dx = pool.backward(dy);
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tx = t.withGrad(x);
                // DJL's mean takes one axis: average the flattened spatial dimensions
                NDArray ty = tx.reshape(shape[0], shape[1], -1).mean(new int[] {2}, true).reshape(new Shape(Arrays.stream(y.shape()).mapToLong(v -> v).toArray()));
                gc.backward(ty.mul(t.of(dy)).sum());
                Compare.assertClose("GlobalAvgPool " + Arrays.toString(shape) + " forward", Torch.tensor(ty), y, 1e-6);
                Compare.assertClose("GlobalAvgPool " + Arrays.toString(shape) + " dX", Torch.grad(tx), dx, 1e-6);
            }
        }
    }

    private static Shape cube(int dims, int v) {
        long[] s = new long[dims];
        Arrays.fill(s, v);
        return new Shape(s);
    }

    // ---- gradient checks in double precision (the *Kernels64 twin) ---------------------------

    @Test
    void maxPoolGradientCheck() {
        for (Case c : CASES.subList(0, CASES.size())) {
            if (c.shape()[1] * c.shape()[0] > 8) {
                continue; // keep the numeric differences cheap
            }
            // NOTE: a random permutation of distinct values 0.1 apart: no near-ties, so no window's
            // winner changes within the stencil (±2h = ±0.002) and max is smooth there.
            int n = Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b);
            double[] x = permutation(n, 5);
            GradCheck.Result r = GradCheck.check64(x, in -> kernels64(c, in, null, true, false),
                    (in, dy) -> kernels64(c, in, dy, true, false), 3);
            System.out.printf("MaxPool %s gradcheck (float64): %.2e%n", c, r.relError());
            assertTrue(r.passes(1e-6), c + ": relError " + r.relError());
        }
    }

    @Test
    void avgPoolGradientCheckBothDivisorsAndGlobal() {
        for (Case c : CASES) {
            if (c.shape()[1] * c.shape()[0] > 8) {
                continue;
            }
            double[] x = GradCheck.toDouble(Tensor.randn(Seed.of(21), c.shape()).data());
            for (boolean include : new boolean[] {true, false}) {
                GradCheck.Result r = GradCheck.check64(x, in -> kernels64(c, in, null, false, include),
                        (in, dy) -> kernels64(c, in, dy, false, include), 4);
                System.out.printf("AvgPool %s countIncludePad=%b gradcheck (float64): %.2e%n", c, include, r.relError());
                assertTrue(r.passes(1e-6), c + ": relError " + r.relError());
            }
        }
        int[] shape = {2, 3, 3, 4, 5};
        Case global = new Case(shape, -1, -1, 0, false);
        GradCheck.Result r = GradCheck.check64(GradCheck.toDouble(Tensor.randn(Seed.of(22), shape).data()),
                in -> kernels64(global, in, null, false, true), (in, dy) -> kernels64(global, in, dy, false, true), 5);
        System.out.printf("GlobalAvgPool gradcheck (float64): %.2e%n", r.relError());
        assertTrue(r.passes(1e-6), "relError " + r.relError());
    }

    /** Forward (dy == null: returns y) or backward (returns dx) through PoolKernels64; kernel −1 = global. */
    private static double[] kernels64(Case c, double[] x, double[] dy, boolean max, boolean countIncludePad) {
        PoolMode mode = max ? PoolMode.MAX : countIncludePad ? PoolMode.AVG_INCLUDE_PAD : PoolMode.AVG_EXCLUDE_PAD;
        PoolWindows win = c.kernel() < 0 ? PoolWindows.global("GlobalAvgPool", c.shape())
                : PoolWindows.of("pool", mode, c.shape(), c.kernel(), c.stride(), c.padding(), c.ceil());
        int outs = win.planes() * win.outPlane();
        double[] y = new double[outs];
        int[] argmax = new int[outs];
        PoolKernels64.forward(y, argmax, x, win);
        if (dy == null) {
            return y;
        }
        double[] dx = new double[x.length];
        PoolKernels64.backward(dx, dy, argmax, win);
        return dx;
    }

    /** 0, 0.1, …, 0.1·(n−1), shuffled (Fisher–Yates with the lab's Rng). */
    private static double[] permutation(int n, long seed) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1 * i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (Rng.bits(seed, i) >>> 33) % (i + 1);
            double tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        return v;
    }

    // ---- errors ---------------------------------------------------------------------------------

    @Test
    void wrongRankNamesTheLayerAndTheShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(2, 2).forward(Tensor.zeros(3, 5)));
        assertEquals("MaxPool(kernel=2, stride=2): expected rank 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [3, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool(3, 1).forward(Tensor.zeros(2, 3, 4)));
        assertEquals("AvgPool(kernel=3, stride=1): expected rank 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [2, 3, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GlobalAvgPool().forward(Tensor.zeros(6)));
        assertEquals("GlobalAvgPool(): expected rank 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [6]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(2).outputShape(new int[] {1, 2, 3}));
        assertEquals("MaxPool(kernel=2, stride=2): expected rank 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [1, 2, 3]", e.getMessage());
    }

    @Test
    void badConfigsAreRejectedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(0, 2));
        assertEquals("MaxPool(kernel=0, stride=2): expected kernel >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(2, -1));
        assertEquals("MaxPool(kernel=2, stride=-1): expected stride >= 1, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool(new AvgPool.Config(3, 1, -1, false)));
        assertEquals("AvgPool(kernel=3, stride=1, padding=-1): expected padding >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(new MaxPool.Config(3, 2, 2, true)));
        assertEquals("MaxPool(kernel=3, stride=2, padding=2, ceilMode=true): expected padding <= kernel/2 = 1"
                + " (PyTorch's rule: every window must overlap the input), got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool(new AvgPool.Config(0, 1, 0, false, false)));
        assertEquals("AvgPool(kernel=0, stride=1, countIncludePad=false): expected kernel >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool(2, 0));
        assertEquals("AvgPool(kernel=2, stride=0): expected stride >= 1, got 0", e.getMessage());
    }

    @Test
    void anEmptyOutputIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(3, 1).forward(Tensor.zeros(1, 1, 2, 5)));
        assertEquals("MaxPool(kernel=3, stride=1): expected an output size >= 1 along every spatial dimension"
                + " (floor((size + 2·padding − kernel) / stride) + 1), got input shape [1, 1, 2, 5] → output shape [1, 1, 0, 3]",
                e.getMessage());
        // rank 5: the cubic window must fit T as well
        e = assertThrows(IllegalArgumentException.class,
                () -> new AvgPool(new AvgPool.Config(2, 2, 0, false)).forward(Tensor.zeros(1, 1, 1, 4, 4)));
        assertTrue(e.getMessage().startsWith("AvgPool(kernel=2, stride=2): expected an output size >= 1"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got input shape [1, 1, 1, 4, 4] → output shape [1, 1, 0, 2, 2]"), e.getMessage());
        // as in PyTorch, ceil mode keeps a partial window there: T = 1 → 1
        assertArrayEquals(new int[] {1, 1, 1, 2, 2}, new AvgPool(new AvgPool.Config(2, 2, 0, true)).outputShape(new int[] {1, 1, 1, 4, 4}));
        e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool(new MaxPool.Config(4, 1, 0, true)).forward(Tensor.zeros(1, 1, 2, 4)));
        assertTrue(e.getMessage().endsWith("(ceil((size + 2·padding − kernel) / stride) + 1), got input shape [1, 1, 2, 4] → output shape [1, 1, -1, 1]"), e.getMessage());
    }

    @Test
    void backwardBeforeForwardAndWrongDOut() {
        var e = assertThrows(IllegalStateException.class, () -> new MaxPool(2, 2).backward(Tensor.zeros(1, 1, 2, 2)));
        assertEquals("MaxPool(kernel=2, stride=2): backward called before forward", e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> new AvgPool(2).backward(Tensor.zeros(1, 1, 2, 2)));
        assertEquals("AvgPool(kernel=2, stride=2): backward called before forward", s.getMessage());
        s = assertThrows(IllegalStateException.class, () -> new GlobalAvgPool().backward(Tensor.zeros(1, 1, 1, 1)));
        assertEquals("GlobalAvgPool(): backward called before forward", s.getMessage());
        MaxPool pool = new MaxPool(2, 2);
        pool.forward(Tensor.zeros(1, 2, 4, 4));
        var a = assertThrows(IllegalArgumentException.class, () -> pool.backward(Tensor.zeros(1, 2, 4, 4)));
        assertEquals("MaxPool(kernel=2, stride=2): expected dOut of shape [1, 2, 2, 2], got shape [1, 2, 4, 4]", a.getMessage());
        GlobalAvgPool gap = new GlobalAvgPool();
        gap.forward(Tensor.zeros(1, 2, 4, 4));
        a = assertThrows(IllegalArgumentException.class, () -> gap.backward(Tensor.zeros(1, 2)));
        assertEquals("GlobalAvgPool(): expected dOut of shape [1, 2, 1, 1], got shape [1, 2]", a.getMessage());
    }

    @Test
    void namesShowTheConfig() {
        assertEquals("MaxPool(kernel=2, stride=2)", new MaxPool(2, 2).toString());
        assertEquals("MaxPool(kernel=3, stride=2, padding=1, ceilMode=true)", new MaxPool(new MaxPool.Config(3, 2, 1, true)).toString());
        assertEquals("AvgPool(kernel=3, stride=2, padding=1, countIncludePad=false)",
                new AvgPool(new AvgPool.Config(3, 2, 1, false, false)).toString());
        assertEquals("GlobalAvgPool()", new GlobalAvgPool().toString());
    }

    // ---- the independent reference -------------------------------------------------------------

    /**
     * Average pooling written straight from the formula, in double precision, one output element
     * at a time: window along each spatial axis from o·s − p to min(o·s − p + k, size + p), divided by
     * that padded size (countIncludePad) or by the number of input elements it covers.
     */
    static final class Reference {
        static Tensor forward(Tensor x, Case c, boolean countIncludePad) {
            int[] out = new MaxPool(new MaxPool.Config(c.kernel(), c.stride(), c.padding(), c.ceil())).outputShape(x.shape());
            Tensor y = Tensor.zeros(out);
            for (int o = 0; o < y.numel(); o++) {
                double sum = 0;
                double[] divisor = new double[1];
                for (int i : window(o, out, x.shape(), c, countIncludePad, divisor)) {
                    sum += x.data()[i];
                }
                y.data()[o] = (float) (sum / divisor[0]);
            }
            return y;
        }

        static Tensor backward(Tensor x, Tensor dy, Case c, boolean countIncludePad) {
            double[] dx = new double[x.numel()];
            for (int o = 0; o < dy.numel(); o++) {
                double[] divisor = new double[1];
                for (int i : window(o, dy.shape(), x.shape(), c, countIncludePad, divisor)) {
                    dx[i] += dy.data()[o] / divisor[0];
                }
            }
            float[] f = new float[dx.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) dx[i];
            }
            return Tensor.of(f, x.shape());
        }

        /** Flat input indices under output element o's window; divisor[0] gets the divisor. */
        private static int[] window(int o, int[] out, int[] in, Case c, boolean countIncludePad, double[] divisor) {
            int r = in.length;
            int[] oi = new int[r];
            for (int d = r - 1, f = o; d >= 0; d--) {
                oi[d] = f % out[d];
                f /= out[d];
            }
            int[] lo = new int[r];
            int[] hi = new int[r];
            lo[0] = oi[0];
            hi[0] = oi[0] + 1;
            lo[1] = oi[1];
            hi[1] = oi[1] + 1;
            long padded = 1;
            long inside = 1;
            for (int d = 2; d < r; d++) {
                int start = oi[d] * c.stride() - c.padding();
                int end = Math.min(start + c.kernel(), in[d] + c.padding());
                padded *= end - start;
                lo[d] = Math.max(0, start);
                hi[d] = Math.min(end, in[d]);
                inside *= hi[d] - lo[d];
            }
            divisor[0] = countIncludePad ? padded : inside;
            int[] idx = new int[(int) inside];
            int[] at = lo.clone();
            for (int k = 0; k < idx.length; k++) {
                int flat = 0;
                for (int d = 0; d < r; d++) {
                    flat = flat * in[d] + at[d];
                }
                idx[k] = flat;
                for (int d = r - 1; d >= 0; d--) { // odometer over the box [lo, hi)
                    if (++at[d] < hi[d]) {
                        break;
                    }
                    at[d] = lo[d];
                }
            }
            return idx;
        }
    }

    /**
     * aten ops DJL does not expose faithfully, called through a TorchScript module written here:
     * a zip archive (stored entries) holding data.pkl (a pickled instance of __torch__.M with its
     * one attribute, training), code/__torch__.py (the class, whose forward is one expression of
     * x) and constants.pkl (an empty tuple), loaded by libtorch's own module loader.
     */
    static final class TorchScript {
        static NDArray call(Torch t, String expression, NDArray x) throws java.io.IOException {
            ai.djl.pytorch.engine.PtSymbolBlock module = ai.djl.pytorch.jni.JniUtils.loadModule(
                    (ai.djl.pytorch.engine.PtNDManager) t.manager(), new java.io.ByteArrayInputStream(archive(expression)), false, false);
            return ai.djl.pytorch.jni.IValueUtils.forward(module, new ai.djl.ndarray.NDList(x), true).singletonOrThrow();
        }

        static byte[] archive(String expression) throws java.io.IOException {
            String code = "class M(Module):\n"
                    + "  __parameters__ = []\n"
                    + "  __buffers__ = []\n"
                    + "  training : bool\n"
                    + "  def forward(self: __torch__.M,\n"
                    + "    x: Tensor) -> Tensor:\n"
                    + "    return " + expression + "\n";
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            data.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
            data.write("c__torch__\nM\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // GLOBAL __torch__.M
            data.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK BINUNICODE(8)
            data.write("training".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            data.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE SETITEMS BUILD STOP
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
                put(z, "m/data.pkl", data.toByteArray());
                put(z, "m/code/__torch__.py", code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                put(z, "m/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
                put(z, "m/version", "10\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return out.toByteArray();
        }

        private static void put(java.util.zip.ZipOutputStream z, String name, byte[] bytes) throws java.io.IOException {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(name);
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(bytes);
            z.closeEntry();
        }
    }
}
