package layerlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** SGD: hand-computed steps, a float64 reference, libtorch's update, and what it leaves alone. */
class SGDTest {
    private static Parameter param(float... values) {
        return Parameter.trainable("p", Tensor.of(values, values.length));
    }

    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
    }

    @Test
    void plainStepIsPMinusLrTimesGrad() {
        Parameter p = param(1, -2);
        SGD sgd = new SGD(List.of(p), 0.1);
        setGrad(p, 0.5f, 1f);
        sgd.step();
        assertArrayEquals(new float[] {0.95f, -2.1f}, p.value().data(), 1e-7f);
    }

    @Test
    void momentumAccumulatesVelocityAsPyTorchDoes() {
        // constant g = 0.5, lr = 0.1, μ = 0.9: v = 0.5, 0.95, 1.355 → p = 0.95, 0.855, 0.7195
        Parameter p = param(1);
        SGD sgd = new SGD(List.of(p), 0.1, 0.9);
        float[] expected = {0.95f, 0.855f, 0.7195f};
        for (float e : expected) {
            setGrad(p, 0.5f);
            sgd.step();
            assertEquals(e, p.value().data()[0], 1e-6f);
        }
    }

    @Test
    void weightDecayAddsLambdaTimesP() {
        Parameter p = param(2);
        SGD sgd = new SGD(List.of(p), new SGD.Config(0.1, 0, 0.5));
        setGrad(p, 1);
        sgd.step(); // g = 1 + 0.5·2 = 2 → p = 2 − 0.2
        assertEquals(1.8f, p.value().data()[0], 1e-6f);
    }

    @Test
    void matchesAFloat64ReferenceOverManySteps() {
        Parameter p = Parameter.trainable("p", Tensor.randn(Seed.of(1), 50));
        double[] ref = toDouble(p.value().data());
        double[] v = new double[50];
        double lr = 0.05;
        double mu = 0.9;
        double wd = 0.01;
        SGD sgd = new SGD(List.of(p), new SGD.Config(lr, mu, wd));
        for (int step = 0; step < 30; step++) {
            float[] g = Tensor.randn(Seed.of(100 + step), 50).data();
            setGrad(p, g);
            sgd.step();
            for (int i = 0; i < 50; i++) { // torch.optim.SGD's algorithm, dampening 0
                double gi = g[i] + wd * ref[i];
                v[i] = mu * v[i] + gi;
                ref[i] -= lr * v[i];
            }
        }
        Compare.assertClose("SGD 30 steps vs float64 reference", Tensor.of(toFloat(ref), 50), p.value(), 1e-5);
    }

    @Test
    void matchesLibtorchSgdUpdate() {
        // DJL's sgdUpdate keeps s = μ·s + lr·(g + λp), p −= s: the same as PyTorch's v for a fixed lr (s = lr·v)
        Parameter p = Parameter.trainable("p", Tensor.randn(Seed.of(2), 3, 4));
        float lr = 0.05f;
        float mu = 0.8f;
        float wd = 0.02f;
        SGD sgd = new SGD(List.of(p), new SGD.Config(lr, mu, wd));
        try (Torch t = new Torch()) {
            NDArray w = t.of(p.value());
            NDArray state = t.of(Tensor.zeros(3, 4));
            for (int step = 0; step < 20; step++) {
                Tensor g = Tensor.randn(Seed.of(200 + step), 3, 4);
                setGrad(p, g.data());
                sgd.step();
                JniUtils.sgdUpdate((PtNDArray) w, (PtNDArray) t.of(g), (PtNDArray) state, lr, wd, 1f, -1f, mu);
            }
            Compare.assertClose("SGD 20 steps vs libtorch sgdUpdate", Torch.tensor(w), p.value(), 1e-5);
        }
    }

    @Test
    void leavesStateAloneAndCountsSharedParametersOnce() {
        Parameter w = param(1);
        Parameter running = Parameter.state("running_mean", Tensor.ones(1));
        SGD sgd = new SGD(List.of(w, running, w), 1);
        assertEquals(List.of(w), sgd.parameters());
        setGrad(w, 1);
        setGrad(running, 1);
        sgd.step();
        assertEquals(0f, w.value().data()[0], "shared w stepped once");
        assertEquals(1f, running.value().data()[0], "state untouched");
        sgd.zeroGrad();
        assertEquals(0f, w.grad().data()[0]);
    }

    @Test
    void learningRateCanChange() {
        Parameter p = param(1);
        SGD sgd = new SGD(List.of(p), 0.1);
        sgd.setLearningRate(3);
        assertEquals(3, sgd.learningRate());
        setGrad(p, 1);
        sgd.step();
        assertEquals(-2f, p.value().data()[0]);
        assertEquals("SGD(lr=3.0, momentum=0.0)", sgd.toString());
    }

    @Test
    void badConfigurationsAreClearErrors() {
        List<Parameter> ps = List.of(param(1));
        assertEquals("SGD: expected lr > 0, got 0.0", assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0)).getMessage());
        assertEquals("SGD: expected momentum in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 1)).getMessage());
        assertEquals("SGD: expected weightDecay >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new SGD.Config(0.1, 0, -1)).getMessage());
        assertEquals("SGD: expected at least one trainable parameter, got an empty list",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1)).getMessage());
        assertEquals("SGD: expected at least one trainable parameter, got 1 parameters, none trainable",
                assertThrows(IllegalArgumentException.class,
                        () -> new SGD(List.of(Parameter.state("s", Tensor.ones(1))), 0.1)).getMessage());
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
