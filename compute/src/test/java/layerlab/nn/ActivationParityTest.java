package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The activations against libtorch 2.7.1 (through DJL): forward and input gradient, and PReLU's
 * α gradient, on rank 2, 4 and 5 inputs with odd sizes. Elementwise bound: 1e-6 relative.
 *
 * <p>Which libtorch op each is compared with: sigmoid, tanh, leaky_relu, elu, gelu (erf form) —
 * libtorch's own aten kernels. SiLU — DJL's swish(1), i.e. libtorch's x·sigmoid(x) composed of
 * aten mul and sigmoid (DJL does not expose aten silu). PReLU — DJL does not expose aten prelu
 * (its prelu throws "Not implemented"), so it is composed of aten ops as relu(x) − α·relu(−x),
 * α broadcast over the channel axis; libtorch's autograd gives dX and dα. Maxout — no PyTorch
 * layer: an independent double-precision loop below.
 */
class ActivationParityTest {
    private static final List<int[]> SHAPES = List.of(new int[] {7, 5}, new int[] {3, 5, 7, 9}, new int[] {2, 3, 3, 5, 7});

    @Test
    void elementwiseActivationsMatchLibtorch() {
        long seed = 100;
        for (int[] shape : SHAPES) {
            Tensor x = LayerChecks.randn(seed++, 3f, shape);
            LayerChecks.parity("Sigmoid", new Sigmoid(), a -> a.getNDArrayInternal().sigmoid(), x, 1e-6);
            LayerChecks.parity("Tanh", new Tanh(), NDArray::tanh, x, 1e-6);
            LayerChecks.parity("LeakyReLU(0.1)", new LeakyReLU(0.1f), a -> a.getNDArrayInternal().leakyRelu(0.1f), x, 1e-6);
            LayerChecks.parity("LeakyReLU.pytorch()", LeakyReLU.pytorch(), a -> a.getNDArrayInternal().leakyRelu(0.01f), x, 1e-6);
            LayerChecks.parity("ELU(1.0)", new ELU(1f), a -> a.getNDArrayInternal().elu(1f), x, 1e-6);
            LayerChecks.parity("ELU(0.7)", new ELU(0.7f), a -> a.getNDArrayInternal().elu(0.7f), x, 1e-6);
            LayerChecks.parity("GELU (erf)", new GELU(), a -> a.getNDArrayInternal().gelu(), x, 1e-6);
            LayerChecks.parity("SiLU", new SiLU(), a -> a.getNDArrayInternal().swish(1f), x, 1e-6);
        }
    }

    @Test
    void geluMatchesLibtorchOverAWideRange() {
        // −12 … 12: deep in both tails, where erf's continued-fraction branch runs.
        float[] v = new float[2401];
        for (int i = 0; i < v.length; i++) {
            v[i] = -12f + 0.01f * i;
        }
        LayerChecks.parity("GELU (erf) on [-12, 12]", new GELU(), a -> a.getNDArrayInternal().gelu(), Tensor.of(v, 1, v.length), 1e-6);
    }

    @Test
    void preluSharedAndPerChannelMatchLibtorch() {
        long seed = 200;
        for (int[] shape : SHAPES) {
            Tensor x = LayerChecks.randn(seed++, 2f, shape);
            prelu(new PReLU(), x, seed++);
            prelu(new PReLU(shape[1]), x, seed++);
        }
    }

    private static void prelu(PReLU layer, Tensor x, long seed) {
        float[] alpha = layer.alpha().value().data();
        for (int c = 0; c < alpha.length; c++) {
            alpha[c] = 0.1f + 0.2f * c; // distinct per channel, so a channel mix-up shows
        }
        layer.alpha().zeroGrad();
        Tensor dy = Tensor.randn(Seed.of(seed), x.shape());
        Tensor y = layer.forward(x);
        Tensor dx = layer.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            long[] aShape = new long[x.rank()]; // (1) broadcast, or (1, C, 1, …)
            Arrays.fill(aShape, 1);
            if (alpha.length > 1) {
                aShape[1] = alpha.length;
            }
            NDArray ta = t.manager().create(alpha.clone(), new Shape(aShape));
            ta.setRequiresGradient(true);
            NDArray ty = tx.getNDArrayInternal().relu().sub(ta.mul(tx.neg().getNDArrayInternal().relu()));
            gc.backward(ty.mul(t.of(dy)).sum());
            String what = layer + " " + Arrays.toString(x.shape());
            Compare.assertClose(what + " forward", Torch.tensor(ty), y, 1e-6);
            Compare.assertClose(what + " dX", Torch.grad(tx), dx, 1e-6);
            Tensor da = Torch.grad(ta).reshape(alpha.length);
            Compare.assertClose(what + " dAlpha", da, layer.alpha().grad(), 1e-6);
        }
    }

    @Test
    void maxoutMatchesAnIndependentDoublePrecisionLoop() {
        int[][] shapes = {{5, 6}, {3, 9, 5, 7}, {2, 6, 3, 5, 3}};
        int[] ks = {2, 3, 3};
        for (int t = 0; t < shapes.length; t++) {
            int[] s = shapes[t];
            int k = ks[t];
            Tensor x = LayerChecks.randn(300 + t, 1f, s);
            Tensor dy = Tensor.randn(Seed.of(400 + t), new Maxout(k).outputShape(s));
            Maxout m = new Maxout(k);
            Tensor y = m.forward(x);
            Tensor dx = m.backward(dy);
            // reference: view as (N, C, rest) and walk it with multi-indices, in double
            int rest = x.numel() / (s[0] * s[1]);
            Tensor x3 = x.reshape(s[0], s[1], rest);
            Tensor dy3 = dy.reshape(s[0], s[1] / k, rest);
            Tensor yRef = Tensor.zeros(s[0], s[1] / k, rest);
            Tensor dxRef = Tensor.zeros(s[0], s[1], rest);
            for (int n = 0; n < s[0]; n++) {
                for (int j = 0; j < s[1] / k; j++) {
                    for (int r = 0; r < rest; r++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int arg = -1;
                        for (int p = 0; p < k; p++) {
                            double v = x3.get(n, j * k + p, r);
                            if (v > best) {
                                best = v;
                                arg = j * k + p;
                            }
                        }
                        yRef.set((float) best, n, j, r);
                        dxRef.set(dy3.get(n, j, r), n, arg, r);
                    }
                }
            }
            String what = m + " " + Arrays.toString(s);
            Compare.assertClose(what + " forward vs double loop", yRef.reshape(y.shape()), y, 0);
            Compare.assertClose(what + " dX vs double loop", dxRef.reshape(s), dx, 0);
            assertTrue(y.numel() * k == x.numel());
        }
    }
}
