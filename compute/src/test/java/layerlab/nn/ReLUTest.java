package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import layerlab.backend.cpu.ActivationKernels64;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The pattern every layer test follows: worked example, float64 gradient check, libtorch parity, errors. */
class ReLUTest {
    @Test
    void zeroesNegativesAsOnTheSlide() {
        Tensor y = new ReLU().forward(Tensor.of(new float[] {-2, -0.5f, 0, 0.5f, 3}, 5));
        assertEquals(Tensor.of(new float[] {0, 0, 0, 0.5f, 3}, 5), y);
    }

    @Test
    void gradientCheckInDoublePrecision() {
        double[] x = GradCheck.toDouble(Tensor.randn(Seed.of(1), 64).data());
        for (int i = 0; i < x.length; i++) {
            x[i] += Math.signum(x[i]) * 0.01; // keep 2h away from the kink at 0
        }
        GradCheck.Result r = GradCheck.check64(x, in -> {
            double[] y = new double[in.length];
            ActivationKernels64.reluForward(y, in, in.length);
            return y;
        }, (in, dy) -> {
            double[] dx = new double[in.length];
            ActivationKernels64.reluBackward(dx, dy, in, in.length);
            return dx;
        }, 7);
        System.out.printf("ReLU gradcheck (float64): %.2e%n", r.relError());
        assertTrue(r.passes(1e-6), "relError " + r.relError());
    }

    @Test
    void matchesLibtorchForwardAndBackward() {
        Tensor x = Tensor.randn(Seed.of(3), 2, 3, 5, 7);
        Tensor dy = Tensor.randn(Seed.of(4), 2, 3, 5, 7);
        ReLU relu = new ReLU();
        Tensor y = relu.forward(x);
        Tensor dx = relu.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ty = tx.getNDArrayInternal().relu();
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose("ReLU forward vs libtorch", Torch.tensor(ty), y, 1e-6);
            Compare.assertClose("ReLU dX vs libtorch", Torch.grad(tx), dx, 1e-6);
        }
    }

    @Test
    void backwardBeforeForwardIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ReLU().backward(Tensor.ones(2)));
        assertEquals("ReLU(): backward called before forward", e.getMessage());
    }

    @Test
    void floatLayerCheckForLabs() {
        Tensor x = Tensor.of(new float[] {-1.5f, -0.7f, 0.4f, 1.2f, 2.5f, -3f}, 2, 3);
        var errors = GradCheck.check(new ReLU(), x, 3);
        assertTrue(errors.get("input") < 1e-3, errors.toString());
    }
}
