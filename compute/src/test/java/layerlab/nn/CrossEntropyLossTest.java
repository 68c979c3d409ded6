package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import layerlab.backend.cpu.SoftmaxKernels64;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Rng;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Cross entropy from logits, mean over the batch.
 *
 * <p>libtorch oracle: DJL exposes no cross_entropy / nll_loss op, so the reference is composed
 * of aten ops: −Σ(log_softmax(z, 1) · onehot) / B, with libtorch's autograd for dLogits.
 */
class CrossEntropyLossTest {
    @Test
    void stableForLogitsAroundPlusMinusAThousand() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor z = Tensor.of(new float[] {1000, -1000, 0, -1000, 1000, 999}, 2, 3);
        float loss = ce.forward(z, new int[] {0, 2});
        // row 0: log(1 + e^−2000 + e^−1000) = 0; row 1: 1000 + log(1 + e^−1 + e^−2000) − 999
        double expected = (0 + 1 + Math.log1p(Math.exp(-1))) / 2;
        System.out.printf("CE at ±1000: %.9f, analytic %.9f%n", loss, expected);
        assertTrue(Float.isFinite(loss));
        assertEquals(expected, loss, 1e-6 * expected);
        Tensor d = ce.backward();
        double e1 = Math.exp(-1) / (1 + Math.exp(-1));
        assertArrayEquals(new float[] {0, 0, 0, 0, (float) ((1 - e1) / 2), (float) ((e1 - 1) / 2)}, d.data(), 1e-7f);
        assertEquals(2000f, ce.forward(Tensor.of(new float[] {1000, -1000}, 1, 2), new int[] {1}));
        Tensor p = ce.probabilities();
        assertArrayEquals(new float[] {1, 0}, p.data());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        int batch = 4;
        int n = 5;
        int[] labels = {3, 0, 4, 1};
        double[] z = LayerChecks.randn64(5, batch * n, 2);
        LayerChecks.grad64("CrossEntropyLoss dLogits", z, in -> new double[] {
            SoftmaxKernels64.crossEntropyForward(new double[in.length], in, labels, batch, n)}, (in, dy) -> {
                double[] p = new double[in.length];
                SoftmaxKernels64.crossEntropyForward(p, in, labels, batch, n);
                double[] dz = new double[in.length];
                SoftmaxKernels64.crossEntropyBackward(dz, p, labels, batch, n);
                for (int i = 0; i < dz.length; i++) {
                    dz[i] *= dy[0];
                }
                return dz;
            });
    }

    @Test
    void matchesLibtorch() {
        int[][] shapes = {{7, 10}, {33, 5}, {1, 1}, {16, 1000}};
        long seed = 80;
        for (int[] s : shapes) {
            Tensor z = LayerChecks.randn(seed++, 5f, s);
            int[] labels = new int[s[0]];
            float[] onehot = new float[s[0] * s[1]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (int) (Rng.bits(seed, i) >>> 33) % s[1];
                onehot[i * s[1] + labels[i]] = 1f;
            }
            seed++;
            CrossEntropyLoss ce = new CrossEntropyLoss();
            float loss = ce.forward(z, labels);
            Tensor dz = ce.backward();
            try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tz = t.withGrad(z);
                NDArray oh = t.manager().create(onehot, new Shape(s[0], s[1]));
                NDArray tl = tz.logSoftmax(1).mul(oh).sum().neg().div(s[0]);
                gc.backward(tl);
                String what = "CrossEntropyLoss " + Arrays.toString(s);
                Compare.assertClose(what + " loss", Torch.tensor(tl), Tensor.of(new float[] {loss}, 1), 1e-5);
                Compare.assertClose(what + " dLogits", Torch.grad(tz), dz, 1e-5);
                Compare.assertClose(what + " probabilities", Torch.tensor(tz.softmax(1)), ce.probabilities(), 1e-5);
            }
        }
    }

    @Test
    void errorsNameTheLossWhatItExpectedAndWhatItGot() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        LayerChecks.fails(IllegalStateException.class, "CrossEntropyLoss(): backward called before forward", ce::backward);
        LayerChecks.fails(IllegalStateException.class, "CrossEntropyLoss(): probabilities called before forward", ce::probabilities);
        LayerChecks.fails(IllegalArgumentException.class, "CrossEntropyLoss(): expected logits of rank 2 (B, N), got shape [10]",
                () -> ce.forward(Tensor.zeros(10), new int[] {1}));
        LayerChecks.fails(IllegalArgumentException.class, "CrossEntropyLoss(): expected 4 labels (one per row of logits [4, 10]), got 3",
                () -> ce.forward(Tensor.zeros(4, 10), new int[] {1, 2, 3}));
        LayerChecks.fails(IllegalArgumentException.class, "CrossEntropyLoss(): expected labels in [0, 10), got 10 at index 2",
                () -> ce.forward(Tensor.zeros(4, 10), new int[] {1, 2, 10, 3}));
        LayerChecks.fails(IllegalArgumentException.class, "CrossEntropyLoss(): expected labels in [0, 10), got -1 at index 0",
                () -> ce.forward(Tensor.zeros(4, 10), new int[] {-1, 2, 1, 3}));
        LayerChecks.fails(IllegalArgumentException.class, "CrossEntropyLoss(): expected 4 labels, got null",
                () -> ce.forward(Tensor.zeros(4, 10), null));
    }
}
