package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** LayerNorm against libtorch's aten::layer_norm (through DJL), the slide's formula, float64 gradchecks, errors. */
class LayerNormTest {
    private static void parity(String what, Tensor x, int... normalized) {
        LayerNorm ln = new LayerNorm(normalized);
        GroupNormTest.setAffine(ln.gamma(), ln.beta(), 3);
        Tensor dy = Tensor.randn(Seed.of(88), x.shape());
        Tensor y = ln.forward(x);
        Tensor dx = ln.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray tg = t.withGrad(ln.gamma());
            NDArray tb = t.withGrad(ln.beta());
            NDArray ty = JniUtils.layerNorm((PtNDArray) tx, new Shape(Arrays.stream(normalized).mapToLong(v -> v).toArray()),
                    (PtNDArray) tg, (PtNDArray) tb, 1e-5);
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose(what + " y vs libtorch", Torch.tensor(ty), y, 1e-5);
            Compare.assertClose(what + " dX vs libtorch", Torch.grad(tx), dx, 1e-5);
            Compare.assertClose(what + " dγ vs libtorch", Torch.grad(tg), ln.parameters().get(0).grad(), 1e-5);
            Compare.assertClose(what + " dβ vs libtorch", Torch.grad(tb), ln.parameters().get(1).grad(), 1e-5);
        }
        // the slide's μ^t, σ²^t: one group over everything normalized (γ checked by libtorch above)
        int d = ln.gamma().numel();
        int n = x.numel() / d;
        double[] mean = new double[n];
        double[] var = new double[n];
        NormOracle.groupNormFormula(NormOracle.toDouble(x), n, 1, d, 1, null, null, 1e-5, mean, var);
        Compare.assertClose(what + " μ^t vs formula", Tensor.of(NormOracle.toFloat(mean), n, 1), ln.lastMean(), 1e-6);
        Compare.assertClose(what + " σ²^t vs formula", Tensor.of(NormOracle.toFloat(var), n, 1), ln.lastVar(), 1e-6);
    }

    @Test
    void lectureLayerNormOverCHWMatchesLibtorch() {
        parity("LN(C,H,W) (3,4,5,7)", Tensor.randn(Seed.of(1), 3, 4, 5, 7), 4, 5, 7);
        parity("LN(C,T,H,W) (2,3,2,3,5)", Tensor.randn(Seed.of(2), 2, 3, 2, 3, 5), 3, 2, 3, 5);
        parity("LN(C) (5,6)", Tensor.randn(Seed.of(3), 5, 6), 6);
        parity("LN(C,H,W) batch 1 (1,3,3,3)", Tensor.randn(Seed.of(4), 1, 3, 3, 3), 3, 3, 3);
        parity("LN(C,H,W) (8,16,16,16) parallel", Tensor.randn(Seed.of(5), 8, 16, 16, 16), 16, 16, 16);
    }

    @Test
    void pytorchTrailingDimsMatchLibtorch() {
        parity("LN(D) on (2,7,9)", Tensor.randn(Seed.of(5), 2, 7, 9), 9);
        parity("LN(H,W) on (2,3,4,5)", Tensor.randn(Seed.of(6), 2, 3, 4, 5), 4, 5);
    }

    @Test
    void statisticsShape() {
        LayerNorm ln = new LayerNorm(3, 4, 4);
        ln.forward(Tensor.randn(Seed.of(1), 5, 3, 4, 4));
        assertArrayEquals(new int[] {5, 1}, ln.lastMean().shape());
        assertArrayEquals(new int[] {3, 4, 4}, ln.gamma().shape(), "γ per element of (C,H,W)");
    }

    @Test
    void gradientCheckInDoublePrecision() {
        // x (N=3, D=8), one group, γ per element (span 1)
        GroupNormTest.gradCheck("LayerNorm(8)", 3, 1, 8, 1, 8, 61);
    }

    @Test
    void errors() {
        LayerNorm ln = new LayerNorm(3, 4, 4);
        assertEquals("LayerNorm(normalizedShape=[3, 4, 4]): expected trailing dimensions [3, 4, 4], got shape [2, 3, 4, 5]",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(2, 3, 4, 5))).getMessage());
        assertEquals("LayerNorm(normalizedShape=[3, 4, 4]): expected trailing dimensions [3, 4, 4], got shape [4, 4]",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(4, 4))).getMessage());
        assertEquals("LayerNorm(normalizedShape=[3, 4, 4]): backward called before forward",
                assertThrows(IllegalStateException.class, () -> ln.backward(Tensor.ones(2, 3, 4, 4))).getMessage());
        assertEquals("LayerNorm: expected normalized dimensions > 0, got [3, 0]",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3, 0)).getMessage());
        ln.forward(Tensor.randn(Seed.of(1), 2, 3, 4, 4));
        assertEquals("LayerNorm(normalizedShape=[3, 4, 4]): expected dOut of shape [2, 3, 4, 4], got shape [1, 3, 4, 4]",
                assertThrows(IllegalArgumentException.class, () -> ln.backward(Tensor.ones(1, 3, 4, 4))).getMessage());
        assertEquals("LayerNorm: expected eps > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new LayerNorm(new LayerNorm.Config(new int[] {3}, 0, true))).getMessage());
        assertEquals("LayerNorm: expected 1 to 4 normalized dimensions, got []",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm()).getMessage());
    }
}
