package layerlab.check;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.nn.Layer;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The labs' checks: each failure names the tensor, the worst element, both values and the tolerance. */
class ExpectTest {
    @Test
    void closeNamesTheWorstElementBothValuesAndTheTolerance() {
        Tensor e = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor a = Tensor.of(new float[] {1, 2, 3.5f, 4, 5.1f, 6}, 2, 3);
        AssertionError err = assertThrows(AssertionError.class, () -> Expect.close("dx", a, e, 1e-3));
        String m = err.getMessage();
        System.out.println(m);
        assertTrue(m.startsWith("dx: 2 of 6 elements differ"), m);
        assertTrue(m.contains("at [0, 2], is 3.5, expected 3.0"), m);
        assertTrue(m.contains("tolerance 0.00300"), m);
        assertDoesNotThrow(() -> Expect.close("dx", e.copy(), e, 0));
    }

    @Test
    void shapesNullsAndNaNAreNamed() {
        Tensor e = Tensor.zeros(2, 3);
        String shape = assertThrows(AssertionError.class, () -> Expect.close("y", Tensor.zeros(3, 2), e, 1)).getMessage();
        assertTrue(shape.equals("y: shape [3, 2], expected [2, 3]"), shape);
        String nul = assertThrows(AssertionError.class, () -> Expect.close("y", null, e, 1)).getMessage();
        assertTrue(nul.contains("y is null"), nul);
        Tensor nan = Tensor.zeros(2, 3).set(Float.NaN, 1, 1);
        String m = assertThrows(AssertionError.class, () -> Expect.close("y", nan, e, 1)).getMessage();
        assertTrue(m.contains("at [1, 1], is NaN, expected 0.0"), m);
        assertDoesNotThrow(() -> Expect.close("y", nan, nan.copy(), 0));
        String num = assertThrows(AssertionError.class, () -> Expect.close("mean", 0.5, 0.25, 1e-3)).getMessage();
        assertTrue(num.startsWith("mean: got 0.5, expected 0.25"), num);
        assertThrows(AssertionError.class, () -> Expect.that(false, "p in (0, 1]"));
    }

    /** A ReLU whose backward passes the gradient everywhere: forward right, backward wrong. */
    static final class LeakyBackwardRelu implements Layer {
        private final ReLU inner = new ReLU();

        @Override
        public Tensor forward(Tensor x) {
            return inner.forward(x);
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut.copy();
        }
    }

    @Test
    void sameAsAndGradientsCatchAWrongBackward() {
        Tensor x = Tensor.randn(Seed.of(3), 2, 3, 4, 4);
        assertDoesNotThrow(() -> Expect.sameAs(new MaxPool(2, 2), new MaxPool(2, 2), x));
        String m = assertThrows(AssertionError.class, () -> Expect.sameAs(new LeakyBackwardRelu(), new ReLU(), x)).getMessage();
        assertTrue(m.startsWith("LeakyBackwardRelu vs ReLU on [2, 3, 4, 4], backward dX:"), m);
        String g = assertThrows(AssertionError.class, () -> Expect.gradients(new LeakyBackwardRelu(), x)).getMessage();
        assertTrue(g.contains("gradient check of LeakyBackwardRelu on [2, 3, 4, 4]") && g.contains("dX"), g);
        assertDoesNotThrow(() -> Expect.gradients(new MaxPool(2, 2), x));
    }

    @Test
    void floatGradientCheckPassesCorrectNormsWhoseGradientsAreNearZeroSomewhere() {
        // per element, float32 noise (~1e-5) on a gradient of 5e-4 reads as 1.3e-2 (seen in a lab);
        // against the scale of the whole gradient it is noise, and a wrong backward still fails
        var bn = new layerlab.nn.BatchNorm(3);
        var errors = GradCheck.check(bn, Tensor.randn(Seed.of(21), 4, 3, 2, 3), 77);
        System.out.println("BatchNorm(3) on (4, 3, 2, 3): " + errors);
        assertTrue(errors.values().stream().allMatch(e -> e < Expect.GRADIENT_BOUND), errors.toString());
        var small = GradCheck.check(new layerlab.nn.BatchNorm(3), Tensor.randn(Seed.of(1), 2, 3), 11);
        assertTrue(small.get("input") < Expect.GRADIENT_BOUND, small.toString());
        double[] a = {1.0, 0.5, 5.31e-4};
        double[] n = {1.0, 0.5, 5.46e-4};
        assertTrue(GradCheck.relError(a, n) > 1e-2, "the plain form fails the tiny element");
        assertTrue(GradCheck.relErrorFloored(a, n) < 1e-3, "the floored form judges it by the gradient's scale");
        assertTrue(GradCheck.relErrorFloored(new double[] {1, -1, 0.3}, new double[] {1, 1, 0.3}) > 0.5,
                "a wrong sign where the gradient matters is still an error of order 1");
    }

    @Test
    void throwsWithChecksTheTypeAndTheMessage() {
        var e = Expect.throwsWith(IllegalArgumentException.class, "got 0", "keep(0)", () -> layerlab.nn.Dropout.keep(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        String none = assertThrows(AssertionError.class,
                () -> Expect.throwsWith(IllegalArgumentException.class, "x", "keep(0.5)", () -> layerlab.nn.Dropout.keep(0.5f))).getMessage();
        assertTrue(none.equals("keep(0.5): expected IllegalArgumentException (mentioning \"x\"), but nothing was thrown"), none);
        String type = assertThrows(AssertionError.class,
                () -> Expect.throwsWith(IllegalStateException.class, "x", "keep(0)", () -> layerlab.nn.Dropout.keep(0))).getMessage();
        assertTrue(type.startsWith("keep(0): expected IllegalStateException, got IllegalArgumentException"), type);
        String msg = assertThrows(AssertionError.class,
                () -> Expect.throwsWith(IllegalArgumentException.class, "banana", "keep(0)", () -> layerlab.nn.Dropout.keep(0))).getMessage();
        assertTrue(msg.contains("should mention \"banana\""), msg);
    }

    @Test
    void gradCheckNamesTheLayerWhenBackwardReturnsNothingUseful() {
        Layer nothing = new Layer() {
            public Tensor forward(Tensor x) {
                return x.copy();
            }

            public Tensor backward(Tensor dOut) {
                return null;
            }
        };
        Tensor x = Tensor.randn(Seed.of(1), 3, 4);
        String m = assertThrows(IllegalStateException.class, () -> GradCheck.check(nothing, x, 1L)).getMessage();
        assertTrue(m.contains("input [3, 4]") && m.contains("backward returned null") && m.contains("[3, 4]"), m);
        Layer wrongShape = new Layer() {
            public Tensor forward(Tensor x) {
                return x.copy();
            }

            public Tensor backward(Tensor dOut) {
                return Tensor.zeros(1);
            }
        };
        String w = assertThrows(IllegalStateException.class, () -> GradCheck.check(wrongShape, x, 1L)).getMessage();
        assertTrue(w.contains("shape [1]") && w.contains("[3, 4]"), w);
    }
}
