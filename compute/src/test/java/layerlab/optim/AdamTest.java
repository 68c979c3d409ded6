package layerlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import layerlab.nn.Parameter;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Adam: hand-computed steps, a float64 reference of torch.optim.Adam's algorithm, libtorch's update. */
class AdamTest {
    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
    }

    @Test
    void biasCorrectionMakesEarlyStepsLrSized() {
        // a constant gradient g: m̂ = g and v̂ = g² at every t, so each step moves p by lr·g/(|g| + ε) ≈ lr
        Parameter p = Parameter.trainable("p", Tensor.of(new float[] {1, 1}, 2));
        Adam adam = new Adam(List.of(p), 0.1);
        for (int t = 1; t <= 3; t++) {
            setGrad(p, 0.5f, -4f);
            adam.step();
            assertArrayEquals(new float[] {1 - 0.1f * t, 1 + 0.1f * t}, p.value().data(), 1e-6f, "step " + t);
        }
        assertEquals(3, adam.steps());
    }

    @Test
    void secondStepByHand() {
        // g₁ = 1, g₂ = −1, lr = 1, β₁ = 0.5, β₂ = 0.75, ε = 1e-8:
        // t=1: m = 0.5, v = 0.25, m̂ = 1, v̂ = 1 → p = 0 − 1 = −1
        // t=2: m = 0.25 − 0.5 = −0.25, v = 0.1875 + 0.25 = 0.4375,
        //      m̂ = −0.25/0.75 = −1/3, v̂ = 0.4375/0.4375 = 1 → p = −1 + 1/3
        Parameter p = Parameter.trainable("p", Tensor.zeros(1));
        Adam adam = new Adam(List.of(p), 1, 0.5, 0.75, 1e-8);
        setGrad(p, 1);
        adam.step();
        assertEquals(-1f, p.value().data()[0], 1e-6f);
        setGrad(p, -1);
        adam.step();
        assertEquals(-2f / 3, p.value().data()[0], 1e-6f);
    }

    @Test
    void matchesAFloat64ReferenceOverManySteps() {
        Parameter p = Parameter.trainable("p", Tensor.randn(Seed.of(3), 64));
        double[] ref = SGDTest.toDouble(p.value().data());
        double[] m = new double[64];
        double[] v = new double[64];
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-6;
        double wd = 0.05;
        Adam adam = new Adam(List.of(p), new Adam.Config(lr, b1, b2, eps, wd));
        for (int t = 1; t <= 50; t++) {
            float[] g = Tensor.randn(Seed.of(300 + t), 64).data();
            setGrad(p, g);
            adam.step();
            for (int i = 0; i < 64; i++) { // torch.optim.Adam's documented algorithm
                double gi = g[i] + wd * ref[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                ref[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        Compare.assertClose("Adam 50 steps vs float64 reference", Tensor.of(SGDTest.toFloat(ref), 64), p.value(), 1e-5);
    }

    @Test
    void matchesLibtorchAdamUpdate() {
        // DJL's adamUpdate (MXNet form) puts ε outside the bias correction: p −= lr·√c₂/c₁ · m/(√v + ε).
        // PyTorch's is lr/c₁ · m/(√v/√c₂ + ε); they differ by ε·(1 − √c₂) in the denominator, below
        // float32 resolution for ε = 1e-8 and gradients of order 1.
        Parameter p = Parameter.trainable("p", Tensor.randn(Seed.of(4), 5, 6));
        double lr = 0.02;
        double b1 = 0.9;
        double b2 = 0.999;
        Adam adam = new Adam(List.of(p), lr, b1, b2, 1e-8);
        try (Torch t = new Torch()) {
            NDArray w = t.of(p.value());
            NDArray mean = t.of(Tensor.zeros(5, 6));
            NDArray var = t.of(Tensor.zeros(5, 6));
            for (int step = 1; step <= 25; step++) {
                Tensor g = Tensor.randn(Seed.of(400 + step), 5, 6);
                setGrad(p, g.data());
                adam.step();
                float lrCorrected = (float) (lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step)));
                JniUtils.adamUpdate((PtNDArray) w, (PtNDArray) t.of(g), (PtNDArray) mean, (PtNDArray) var,
                        (float) lr, lrCorrected, 0f, 1f, -1f, (float) b1, (float) b2, 1e-8f, false);
            }
            Compare.assertClose("Adam 25 steps vs libtorch adamUpdate", Torch.tensor(w), p.value(), 1e-5);
        }
    }

    @Test
    void minimizesAQuadratic() {
        // L = Σ (p − 3)², dL/dp = 2(p − 3)
        Parameter p = Parameter.trainable("p", Tensor.zeros(4));
        Adam adam = new Adam(List.of(p), 0.1);
        for (int i = 0; i < 500; i++) {
            adam.zeroGrad();
            for (int j = 0; j < 4; j++) {
                p.grad().data()[j] += 2 * (p.value().data()[j] - 3);
            }
            adam.step();
        }
        for (float v : p.value().data()) {
            assertEquals(3f, v, 1e-2f);
        }
    }

    @Test
    void leavesStateAlone() {
        Parameter w = Parameter.trainable("w", Tensor.ones(2));
        Parameter running = Parameter.state("running_var", Tensor.ones(2));
        Adam adam = new Adam(List.of(running, w), 0.1);
        assertEquals(List.of(w), adam.parameters());
        setGrad(running, 5, 5);
        setGrad(w, 1, 1);
        adam.step();
        assertArrayEquals(new float[] {1, 1}, running.value().data());
        assertTrue(w.value().data()[0] < 1);
        adam.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, w.grad().data());
    }

    @Test
    void badConfigurationsAreClearErrors() {
        List<Parameter> ps = List.of(Parameter.trainable("w", Tensor.ones(1)));
        assertEquals("Adam: expected beta1 in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1, 0.999, 1e-8)).getMessage());
        assertEquals("Adam: expected beta2 in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, -0.1, 1e-8)).getMessage());
        assertEquals("Adam: expected eps > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, 0.999, 0)).getMessage());
        assertEquals("Adam: expected lr > 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Double.NaN)).getMessage());
        Adam adam = new Adam(ps, 0.1);
        adam.setLearningRate(0.5);
        assertEquals(0.5, adam.learningRate());
        assertEquals("Adam(lr=0.5, beta1=0.9, beta2=0.999, eps=1.0E-8)", adam.toString());
    }
}
