package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import layerlab.backend.cpu.SoftmaxKernels64;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax and LogSoftmax over a named axis (lecture §4). */
class SoftmaxTest {
    @Test
    void rowsAreProbabilityVectorsEvenForHugeLogits() {
        // Lecture §4: Σₖ pₖ = 1 and 0 ≤ pᵢ ≤ 1 — also where e^1000 would overflow.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1000, -1000, 0, -5, -5, -5, 88, 89, 90}, 4, 3);
        Tensor p = new Softmax(1).forward(x);
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, Arrays.copyOf(p.data(), 3), 1e-7f);
        double worst = 0;
        for (int r = 0; r < 4; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                float v = p.get(r, c);
                assertTrue(v >= 0f && v <= 1f, "p[" + r + "," + c + "] = " + v);
                sum += v;
            }
            worst = Math.max(worst, Math.abs(sum - 1));
        }
        System.out.printf("Softmax rows: max |Σp − 1| = %.2e%n", worst);
        assertTrue(worst <= 1e-6, "row sum off by " + worst);
        assertEquals(1f, p.get(1, 0));
        assertEquals(0f, p.get(1, 1));
    }

    @Test
    void logSoftmaxIsTheLogOfSoftmaxAndStaysFinite() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 0, -200, 5}, 2, 3);
        Tensor lp = new LogSoftmax(-1).forward(x);
        Tensor p = new Softmax(-1).forward(x);
        for (int i = 0; i < 3; i++) {
            assertEquals(Math.log(p.data()[i]), lp.data()[i], 1e-6);
        }
        // row (0, −200, 5): log p = −200 − (5 + log(1 + e^−5 + e^−205)); p itself underflows to 0
        assertEquals(-200 - (5 + Math.log1p(Math.exp(-5))), lp.get(1, 1), 1e-5);
        assertEquals(0f, p.get(1, 1));
    }

    @Test
    void gradientCheckInDoublePrecision() {
        int[][] layouts = {{2, 4, 3}, {6, 5, 1}, {1, 3, 8}}; // (outer, n, inner): axis 1 of (2,4,3); last axis; axis 0
        for (int[] l : layouts) {
            double[] x = LayerChecks.randn64(l[0] + 10L * l[2], l[0] * l[1] * l[2], 2);
            String where = " (outer, n, inner) = " + Arrays.toString(l);
            LayerChecks.grad64("Softmax" + where, x, in -> {
                double[] y = new double[in.length];
                SoftmaxKernels64.softmaxForward(y, in, l[0], l[1], l[2]);
                return y;
            }, (in, dy) -> {
                double[] y = new double[in.length];
                SoftmaxKernels64.softmaxForward(y, in, l[0], l[1], l[2]);
                double[] dx = new double[in.length];
                SoftmaxKernels64.softmaxBackward(dx, dy, y, l[0], l[1], l[2]);
                return dx;
            });
            LayerChecks.grad64("LogSoftmax" + where, x, in -> {
                double[] y = new double[in.length];
                SoftmaxKernels64.logSoftmaxForward(y, in, l[0], l[1], l[2]);
                return y;
            }, (in, dy) -> {
                double[] y = new double[in.length];
                SoftmaxKernels64.logSoftmaxForward(y, in, l[0], l[1], l[2]);
                double[] dx = new double[in.length];
                SoftmaxKernels64.logSoftmaxBackward(dx, dy, y, l[0], l[1], l[2]);
                return dx;
            });
        }
    }

    @Test
    void matchesLibtorchOverAxisOneAndTheLastAxis() {
        int[][] shapes = {{7, 11}, {3, 5, 4, 6}, {2, 3, 4, 3, 5}, {40, 1000}};
        long seed = 60;
        for (int[] s : shapes) {
            Tensor x = LayerChecks.randn(seed++, 4f, s);
            Tensor dy = Tensor.randn(Seed.of(seed++), s);
            for (int axis : new int[] {1, -1}) {
                parity(new Softmax(axis), x, dy, axis, false);
                parity(new LogSoftmax(axis), x, dy, axis, true);
            }
        }
    }

    private static void parity(Layer layer, Tensor x, Tensor dy, int axis, boolean log) {
        Tensor y = layer.forward(x);
        Tensor dx = layer.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ty = log ? tx.logSoftmax(axis) : tx.softmax(axis);
            gc.backward(ty.mul(t.of(dy)).sum());
            String what = layer + " " + Arrays.toString(x.shape());
            Compare.assertClose(what + " forward", Torch.tensor(ty), y, 1e-5);
            Compare.assertClose(what + " dX", Torch.grad(tx), dx, 1e-5);
        }
    }

    @Test
    void logSoftmaxKeepsItsDigitsAtLogitsNearAThousand() {
        // (x − m) − log Σ e^(x − m), as libtorch: rounding m + log Σ first (≈ 1000) would put an
        // error of up to ulp(1000)/2 ≈ 3e-5 into every output, ~1e-5 relative where |y| is a few
        int[][] shapes = {{64, 1000}, {7, 1001}, {5, 3}, {3, 7, 20}};
        for (int[] s : shapes) {
            Tensor x = LayerChecks.randn(90 + s[1], 3f, s);
            for (int i = 0; i < x.numel(); i++) {
                x.data()[i] += (i / s[s.length - 1]) % 2 == 0 ? 1000f : -1000f; // rows (last-axis runs) near +1000 or −1000
            }
            int axis = s.length == 3 ? 1 : -1; // the 3-d shape reduces an inner axis: the reference loop on either switch
            Tensor dy = Tensor.randn(Seed.of(91), s);
            Tensor expected;
            try (Torch t = new Torch()) {
                expected = Torch.tensor(t.of(x).logSoftmax(axis));
            }
            for (boolean fast : new boolean[] {true, false}) {
                layerlab.backend.cpu.Simd.setEnabled(fast && layerlab.backend.cpu.Simd.available());
                try {
                    Tensor y = new LogSoftmax(axis).forward(x);
                    double worst = worstPerElement(expected.data(), y.data());
                    System.out.printf("LogSoftmax %s at ±1000 (simd %s): max |y − torch| / max(1, |torch|) = %.2e%n",
                            Arrays.toString(s), fast, worst);
                    assertTrue(worst <= 2e-6, Arrays.toString(s) + " simd " + fast + ": " + worst);
                    parity(new LogSoftmax(axis), x, dy, axis, true);
                } finally {
                    layerlab.backend.cpu.Simd.setEnabled(layerlab.backend.cpu.Simd.available()
                            && !"false".equalsIgnoreCase(System.getProperty("layerlab.simd", "true")));
                }
            }
        }
    }

    /** The old formula x − (m + log Σ) in float fails the bound above on these logits: the case can fail. */
    @Test
    void theRoundedLogSumExpFormulaWouldFailThatBound() {
        Tensor x = LayerChecks.randn(1090, 3f, 64, 1000);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] += 1000f;
        }
        float[] old = new float[x.numel()];
        for (int r = 0; r < 64; r++) {
            float m = -Float.MAX_VALUE;
            for (int c = 0; c < 1000; c++) {
                m = Math.max(m, x.data()[r * 1000 + c]);
            }
            float sum = 0f;
            for (int c = 0; c < 1000; c++) {
                sum += (float) Math.exp(x.data()[r * 1000 + c] - m);
            }
            float lse = m + (float) Math.log(sum);
            for (int c = 0; c < 1000; c++) {
                old[r * 1000 + c] = x.data()[r * 1000 + c] - lse;
            }
        }
        try (Torch t = new Torch()) {
            double worst = worstPerElement(Torch.tensor(t.of(x).logSoftmax(-1)).data(), old);
            System.out.printf("x − (m + log Σ) at 1000: max |y − torch| / max(1, |torch|) = %.2e%n", worst);
            assertTrue(worst > 2e-6, "the old formula should lose digits here, lost only " + worst);
        }
    }

    private static double worstPerElement(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        return worst;
    }

    @Test
    void errorsNameTheLayerWhatItExpectedAndWhatItGot() {
        LayerChecks.fails(IllegalArgumentException.class, "Softmax(axis=2): expected axis in [-2, 2) for shape [2, 5], got 2",
                () -> new Softmax(2).forward(Tensor.zeros(2, 5)));
        LayerChecks.fails(IllegalArgumentException.class, "LogSoftmax(axis=-4): expected axis in [-3, 3) for shape [2, 5, 3], got -4",
                () -> new LogSoftmax(-4).forward(Tensor.zeros(2, 5, 3)));
        LayerChecks.fails(IllegalArgumentException.class, "Softmax(axis=3): expected axis in [-2, 2) for shape [4, 6], got 3",
                () -> new Softmax(3).outputShape(new int[] {4, 6}));
        LayerChecks.fails(IllegalStateException.class, "Softmax(axis=1): backward called before forward",
                () -> new Softmax(1).backward(Tensor.zeros(2, 5)));
        LayerChecks.fails(IllegalStateException.class, "LogSoftmax(axis=1): backward called before forward",
                () -> new LogSoftmax(1).backward(Tensor.zeros(2, 5)));
        Softmax s = new Softmax(-1);
        s.forward(Tensor.zeros(2, 5));
        LayerChecks.fails(IllegalArgumentException.class, "Softmax(axis=-1): expected dOut of shape [2, 5], got shape [5, 2]",
                () -> s.backward(Tensor.zeros(5, 2)));
    }
}
