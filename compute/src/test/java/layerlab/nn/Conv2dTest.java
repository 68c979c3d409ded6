package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import layerlab.backend.ConvShape;
import layerlab.backend.cpu.ConvKernels64;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Conv2d against libtorch's aten::convolution (forward, dX, dW, db), float64 gradchecks of ConvKernels, init, errors. */
class Conv2dTest {
    static NDArray torchConv(NDArray x, NDArray w, NDArray b, int stride, int padding) {
        return JniUtils.convolution((PtNDArray) x, (PtNDArray) w, (PtNDArray) b, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1);
    }

    private static void parity(String what, Conv2d.Config config, int... xShape) {
        Conv2d conv = new Conv2d(config, 17);
        Tensor x = Tensor.randn(Seed.of(xShape[0] * 7 + xShape[2]), xShape);
        Tensor y = conv.forward(x);
        Tensor dy = Tensor.randn(Seed.of(3), y.shape());
        Tensor dx = conv.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray tw = t.withGrad(conv.weight());
            NDArray tb = config.bias() ? t.withGrad(conv.bias()) : null;
            NDArray ty = torchConv(tx, tw, tb, config.stride(), config.padding());
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose(what + " y", Torch.tensor(ty), y, 1e-4);
            Compare.assertClose(what + " dX", Torch.grad(tx), dx, 1e-4);
            Compare.assertClose(what + " dW", Torch.grad(tw), conv.parameters().get(0).grad(), 1e-4);
            if (config.bias()) {
                Compare.assertClose(what + " db", Torch.grad(tb), conv.parameters().get(1).grad(), 1e-4);
            }
        }
    }

    @Test
    void matchesLibtorchWithStrideAndPadding() {
        parity("conv 3→4 k3 s1 p1 on (2,3,7,9)", new Conv2d.Config(3, 4, 3, 1, 1, true, false), 2, 3, 7, 9);
        parity("conv 3→4 k3 s2 p0 on (2,3,7,9)", new Conv2d.Config(3, 4, 3, 2, 0, true, false), 2, 3, 7, 9);
        parity("conv 2→5 k5 s2 p2 on (1,2,8,5)", new Conv2d.Config(2, 5, 5, 2, 2, true, false), 1, 2, 8, 5);
        parity("conv 4→3 k1 s1 p0 on (3,4,5,6)", new Conv2d.Config(4, 3, 1, 1, 0, true, false), 3, 4, 5, 6);
        parity("conv 2→3 k4 s3 p1 on (3,2,11,10)", new Conv2d.Config(2, 3, 4, 3, 1, true, false), 3, 2, 11, 10);
        parity("conv 16→32 k3 s1 p1 on (4,16,14,14)", new Conv2d.Config(16, 32, 3, 1, 1, true, false), 4, 16, 14, 14);
        parity("conv 3→2 k3 s1 p1 no bias on (2,3,6,6)", new Conv2d.Config(3, 2, 3, 1, 1, false, false), 2, 3, 6, 6);
    }

    @Test
    void gradientAccumulatesOverBackwardCalls() {
        Conv2d conv = new Conv2d(new Conv2d.Config(2, 3, 3, 1, 1, true, false), 5);
        Tensor x = Tensor.randn(Seed.of(1), 2, 2, 5, 5);
        Tensor dy = Tensor.randn(Seed.of(2), 2, 3, 5, 5);
        conv.forward(x);
        conv.backward(dy);
        Tensor once = conv.parameters().get(0).grad().copy();
        conv.forward(x);
        conv.backward(dy);
        for (int i = 0; i < once.numel(); i++) {
            once.data()[i] *= 2;
        }
        Compare.assertClose("dW after two backward calls = 2·dW", once, conv.parameters().get(0).grad(), 1e-6);
    }

    // ---- float64 gradient checks through ConvKernels64 ----

    private static final int N = 2, C = 2, H = 5, W = 4, O = 3, K = 3, S = 2, P = 1;
    private static final int OH = (H + 2 * P - K) / S + 1, OW = (W + 2 * P - K) / S + 1;
    private static final ConvShape SHAPE = new ConvShape(N, C, H, W, O, K, S, P, OH, OW);

    private static double[] forward64(double[] x, double[] w, double[] b) {
        double[] y = new double[N * O * OH * OW];
        ConvKernels64.conv2dForward(y, x, w, b, SHAPE);
        return y;
    }

    /** {dx, dw, db}. */
    private static double[][] backward64(double[] x, double[] w, double[] dy) {
        double[][] d = {new double[x.length], new double[w.length], new double[O]};
        ConvKernels64.conv2dBackward(d[0], d[1], d[2], dy, x, w, SHAPE);
        return d;
    }

    @Test
    void gradientCheckInDoublePrecision() {
        double[] x = NormOracle.toDouble(Tensor.randn(Seed.of(71), N * C * H * W));
        double[] w = NormOracle.toDouble(Tensor.randn(Seed.of(72), O * C * K * K));
        double[] b = NormOracle.toDouble(Tensor.randn(Seed.of(73), O));
        GradCheck.Result rx = GradCheck.check64(x, in -> forward64(in, w, b), (in, dy) -> backward64(in, w, dy)[0], 1);
        GradCheck.Result rw = GradCheck.check64(w, in -> forward64(x, in, b), (in, dy) -> backward64(x, in, dy)[1], 2);
        GradCheck.Result rb = GradCheck.check64(b, in -> forward64(x, w, in), (in, dy) -> backward64(x, w, dy)[2], 3);
        System.out.printf("Conv2d gradcheck (float64, k3 s2 p1): dX %.2e, dW %.2e, db %.2e%n", rx.relError(), rw.relError(), rb.relError());
        assertTrue(rx.passes(1e-6), "dX relError " + rx.relError());
        assertTrue(rw.passes(1e-6), "dW relError " + rw.relError());
        assertTrue(rb.passes(1e-6), "db relError " + rb.relError());
    }

    @Test
    void initializesLikePytorchFromTheSeed() {
        Conv2d conv = new Conv2d(new Conv2d.Config(8, 16, 3, 1, 1, true, false), 123);
        double bound = 1 / Math.sqrt(8 * 9);
        double max = 0;
        double sum = 0;
        for (float v : conv.weight().data()) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            max = Math.max(max, Math.abs(v));
            sum += v;
        }
        for (float v : conv.bias().data()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
        }
        System.out.printf("Conv2d init: max |w| %.4f of bound %.4f, mean %.2e%n", max, bound, sum / conv.weight().numel());
        assertTrue(max > 0.95 * bound, "uniform over the whole range");
        assertTrue(Math.abs(sum / conv.weight().numel()) < 0.1 * bound, "centred");
        assertEquals(conv.weight(), new Conv2d(new Conv2d.Config(8, 16, 3, 1, 1, true, false), 123).weight(), "same seed, same weights");
        assertNotEquals(conv.weight(), new Conv2d(new Conv2d.Config(8, 16, 3, 1, 1, true, false), 124).weight());
        assertArrayEquals(new int[] {16, 8, 3, 3}, conv.weight().shape());
        assertEquals(java.util.List.of("weight", "bias"), conv.parameters().stream().map(Parameter::name).toList());
    }

    // ---- errors ----

    @Test
    void shapeErrors() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 0);
        String name = "Conv2d(in=3, out=4, kernel=3, stride=1, padding=0)";
        assertEquals(name, conv.toString());
        assertEquals(name + ": expected rank 4 (N,C,H,W), got shape [3, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.ones(3, 5, 5))).getMessage());
        assertEquals(name + ": expected 3 input channels (axis 1), got 2 in shape [1, 2, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.ones(1, 2, 5, 5))).getMessage());
        assertEquals(name + ": expected output size >= 1, got 0x1 for input 2x3 (kernel 3, padding 0)",
                assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.ones(1, 3, 2, 3))).getMessage());
        assertEquals(name + ": backward called before forward",
                assertThrows(IllegalStateException.class, () -> conv.backward(Tensor.ones(1, 4, 3, 3))).getMessage());
        conv.forward(Tensor.ones(1, 3, 5, 5));
        assertEquals(name + ": expected dOut of shape [1, 4, 3, 3], got shape [1, 4, 3, 2]",
                assertThrows(IllegalArgumentException.class, () -> conv.backward(Tensor.ones(1, 4, 3, 2))).getMessage());
    }

    @Test
    void configErrors() {
        assertEquals("Conv2d: expected kernel > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 0, 1, 0)).getMessage());
        assertEquals("Conv2d: expected stride > 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, -1, 0)).getMessage());
        assertEquals("Conv2d: expected padding >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, -1)).getMessage());
        assertEquals("Conv2d: expected inChannels > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 4, 3, 1, 0)).getMessage());
        assertEquals("Conv2d: expected outChannels > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 0, 3, 1, 0)).getMessage());
    }
}
