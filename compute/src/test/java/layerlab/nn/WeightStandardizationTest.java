package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Weight standardization (lecture §11). Oracles: the slide's formula in double precision, and
 * libtorch — DJL has no such op and no TorchScript archive can be built here without Python
 * torch, so Ŵ is libtorch's training-mode batch norm of W viewed as (1, K, M·p·q) (per filter
 * statistics, biased, ε inside the root, exactly the slide), with autograd for dW and for a
 * convolution using Ŵ.
 */
class WeightStandardizationTest {
    @Test
    void standardizesEachFilterAsOnTheSlide() {
        Tensor w = Tensor.randn(Seed.of(8), 5, 3, 3, 3);
        for (int i = 0; i < w.numel(); i++) {
            w.data()[i] = 0.2f * w.data()[i] + 0.05f * (i / 27); // filters with different means
        }
        Tensor wHat = WeightStandardization.standardize(w);
        double[] mean = new double[5];
        double[] var = new double[5];
        double[] ref = NormOracle.groupNormFormula(NormOracle.toDouble(w), 5, 1, 27, 1, null, null, 1e-5, mean, var);
        Compare.assertClose("Ŵ vs formula (double)", Tensor.of(NormOracle.toFloat(ref), w.shape()), wHat, 1e-5);
        for (int k = 0; k < 5; k++) { // each filter of Ŵ: mean 0, variance σ²/(σ²+ε)
            double m = 0;
            double v = 0;
            for (int i = 0; i < 27; i++) {
                m += wHat.data()[k * 27 + i] / 27.0;
            }
            for (int i = 0; i < 27; i++) {
                v += Math.pow(wHat.data()[k * 27 + i] - m, 2) / 27.0;
            }
            assertTrue(Math.abs(m) < 1e-6, "filter " + k + " mean " + m);
            assertEquals(var[k] / (var[k] + 1e-5), v, 1e-5, "filter " + k + " variance");
        }
    }

    @Test
    void forwardAndBackwardMatchLibtorch() {
        for (int[] shape : new int[][] {{5, 3, 3, 3}, {4, 2, 5, 5}, {7, 1, 1, 1, 3}, {3, 11}}) {
            Tensor w = Tensor.randn(Seed.of(shape[0] + 30), shape);
            Tensor dWhat = Tensor.randn(Seed.of(shape[0] + 40), shape);
            Tensor wHat = WeightStandardization.standardize(w);
            Tensor dw = WeightStandardization.backward(w, dWhat);
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tw = t.withGrad(w);
                NDArray twHat = NormOracle.groupNorm(t, tw, 1, null, null, 1e-5);
                gc.backward(twHat.mul(t.of(dWhat)).sum());
                String what = "WS " + java.util.Arrays.toString(shape);
                Compare.assertClose(what + " Ŵ vs libtorch", Torch.tensor(twHat), wHat, 1e-5);
                Compare.assertClose(what + " dW vs libtorch", Torch.grad(tw), dw, 1e-5);
            }
        }
    }

    @Test
    void conv2dWithWeightStandardizationMatchesLibtorch() {
        Conv2d conv = new Conv2d(new Conv2d.Config(3, 4, 3, 2, 1, true, true), 9);
        Tensor x = Tensor.randn(Seed.of(1), 2, 3, 9, 8);
        Tensor y = conv.forward(x);
        Tensor dy = Tensor.randn(Seed.of(2), y.shape());
        Tensor dx = conv.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray tw = t.withGrad(conv.weight());
            NDArray tb = t.withGrad(conv.bias());
            NDArray ty = Conv2dTest.torchConv(tx, NormOracle.groupNorm(t, tw, 1, null, null, 1e-5), tb, 2, 1);
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose("conv+WS y", Torch.tensor(ty), y, 1e-4);
            Compare.assertClose("conv+WS dX", Torch.grad(tx), dx, 1e-4);
            Compare.assertClose("conv+WS dW (through Ŵ)", Torch.grad(tw), conv.parameters().get(0).grad(), 1e-4);
            Compare.assertClose("conv+WS db", Torch.grad(tb), conv.parameters().get(1).grad(), 1e-4);
        }
        assertEquals("Conv2d(in=3, out=4, kernel=3, stride=2, padding=1, weightStandardization=true)", conv.toString());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        // W (K=4, M·p·q = 12): one "sample" per filter, one group, no affine
        GroupNormTest.gradCheck("WeightStandardization (4,3,2,2)", 4, 1, 12, 1, 0, 81);
    }

    @Test
    void errors() {
        assertEquals("WeightStandardization: expected a weight of rank 2 to 5 (K, …), got shape [6]",
                assertThrows(IllegalArgumentException.class, () -> WeightStandardization.standardize(Tensor.ones(6))).getMessage());
        assertEquals("WeightStandardization: expected dŴ of shape [2, 3], got shape [3, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> WeightStandardization.backward(Tensor.ones(2, 3), Tensor.ones(3, 2))).getMessage());
        assertEquals("WeightStandardization: expected eps > 0, got 0.0",
                assertThrows(IllegalArgumentException.class,
                        () -> WeightStandardization.standardize(Tensor.ones(2, 3), 0)).getMessage());
    }
}
