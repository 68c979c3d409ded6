package layerlab.nn;

import static layerlab.nn.NonFinite.INF;
import static layerlab.nn.NonFinite.NAN;
import static layerlab.nn.NonFinite.assertSame;
import static layerlab.nn.NonFinite.host;
import static layerlab.nn.NonFinite.place;
import static layerlab.nn.NonFinite.specials;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import layerlab.nn.NonFinite.Path;
import layerlab.oracle.Torch;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NaN and ±∞ go through every layer as they go through libtorch 2.7.1, forward and backward, on
 * every path (the CPU's Vector API loops, its scalar reference loops, OpenCL on PoCL): NaN where
 * libtorch has NaN, the same infinity where it has one, the finite values close. Inputs carry
 * NaN, +∞ and −∞ (and so do the upstream gradients), including a max-pool window with a NaN, one
 * with a NaN after a +∞, one with two NaNs and one of −∞ only. Each layer is compared with the
 * libtorch op its parity test uses.
 */
class NonFiniteTest {
    /** What a layer gave on a path, on the host: y, dX and the gradients of its trainable parameters. */
    private record Run(Tensor y, Tensor dx, List<Tensor> grads) {}

    private static Run run(Path p, Supplier<Layer> make, Tensor x, Tensor dy) {
        return NonFinite.on(p, () -> {
            Layer l = make.get();
            Tensor y = host(l.forward(place(p, x)));
            Tensor dx = host(l.backward(place(p, dy)));
            return new Run(y, dx, l.parameters().stream().filter(Parameter::trainable).map(q -> host(q.grad())).toList());
        });
    }

    /** Compares one result with libtorch's: {@link NonFinite#assertSame} or the weaker {@link NonFinite#assertNonFiniteWhere}. */
    private interface Verdict {
        void check(String what, Tensor libtorch, Tensor got, double bound);
    }

    /** The layer on the path against {@code op} in libtorch; {@code params} are the layer's trainable values, in order. */
    private static void check(Path p, String name, Supplier<Layer> make, Tensor x, Tensor dy, double bound,
                              Function<NDArray[], NDArray> op, Tensor... params) {
        check(p, name, make, x, dy, bound, NonFinite::assertSame, op, params);
    }

    private static void check(Path p, String name, Supplier<Layer> make, Tensor x, Tensor dy, double bound,
                              Verdict verdict, Function<NDArray[], NDArray> op, Tensor... params) {
        Run r = run(p, make, x, dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray[] in = new NDArray[params.length + 1];
            in[0] = t.withGrad(x);
            for (int i = 0; i < params.length; i++) {
                in[i + 1] = t.withGrad(params[i]);
            }
            NDArray ty = op.apply(in);
            gc.backward(ty.mul(t.of(dy)).sum());
            String what = name + " " + p;
            verdict.check(what + " y", Torch.tensor(ty), r.y(), bound);
            verdict.check(what + " dX", Torch.grad(in[0]), r.dx(), bound);
            for (int i = 0; i < params.length; i++) {
                verdict.check(what + " d(param " + i + ")", Torch.grad(in[i + 1]).reshape(params[i].shape()),
                        r.grads().get(i), bound);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void activations(Path p) {
        int[] s = {3, 5, 7, 9};
        Tensor x = specials(1, 3f, 0.1, s, NAN, 0, INF, 1, -INF, 2);
        Tensor dy = specials(2, 1f, 0.03, s);
        float[] d = dy.data();
        for (int i = 0; i < d.length; i++) {
            // NOTE: an infinite dY only where x is moderate: beside a saturated σ or tanh, dY·(1 − y²) is
            // ∞·0 (NaN) or ∞·(one ulp) (∞) depending on the last bit of tanh (PoCL's is one ulp below 1 at x ≈ 9)
            if (Float.isInfinite(d[i]) && !(Math.abs(x.data()[i]) < 2)) {
                d[i] = NAN;
            }
        }
        check(p, "ReLU", ReLU::new, x, dy, 0, a -> a[0].getNDArrayInternal().relu());
        check(p, "LeakyReLU(0.1)", () -> new LeakyReLU(0.1f), x, dy, 0, a -> a[0].getNDArrayInternal().leakyRelu(0.1f));
        check(p, "PReLU (α 0.25, as leaky_relu)", PReLU::new, x, dy, 1e-6, a -> a[0].getNDArrayInternal().leakyRelu(0.25f));
        double dAlpha = 0; // libtorch's prelu: dα = Σ (x > 0 ? 0 : x·dy)
        for (int i = 0; i < x.numel(); i++) {
            dAlpha += x.data()[i] > 0 ? 0 : (double) x.data()[i] * dy.data()[i];
        }
        assertSame("PReLU dα " + p, Tensor.of(new float[] {(float) dAlpha}, 1), run(p, PReLU::new, x, dy).grads().get(0), 1e-5);
        check(p, "ELU(1)", () -> new ELU(1f), x, dy, 1e-6, a -> a[0].getNDArrayInternal().elu(1f));
        check(p, "ELU(0.7)", () -> new ELU(0.7f), x, dy, 1e-6, a -> a[0].getNDArrayInternal().elu(0.7f));
        check(p, "Sigmoid", Sigmoid::new, x, dy, 1e-6, a -> a[0].getNDArrayInternal().sigmoid());
        check(p, "Tanh", Tanh::new, x, dy, 1e-6, a -> a[0].tanh());
        // NOTE: libtorch's vectorized erf makes GELU(+∞) NaN; here it is +∞ (x·Φ(x), Φ(+∞) = 1): non-finite both
        check(p, "GELU", GELU::new, x, dy, 1e-6, NonFinite::assertNonFiniteWhere, a -> a[0].getNDArrayInternal().gelu());
        // NOTE: DJL has no aten silu: the oracle is x·sigmoid(x) composed, whose autograd gives ∞ − ∞ = NaN
        // for an infinite dY where silu_backward's one formula (and this layer's) gives ±∞: non-finite both
        check(p, "SiLU", SiLU::new, x, dy, 1e-6, NonFinite::assertNonFiniteWhere, a -> a[0].getNDArrayInternal().swish(1f));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void maxout(Path p) {
        // groups of 2 channels over (3, 6, 5): a NaN, a +∞, a −∞ beside a number, a NaN beside +∞, two −∞
        Tensor x = specials(3, 1f, 0, new int[] {3, 6, 5}, NAN, 0, INF, 10, -INF, 20, NAN, 30 + 5 + 2, INF, 30 + 2,
                -INF, 30 + 10 + 3, -INF, 30 + 15 + 3);
        Tensor dy = specials(4, 1f, 0.05, new int[] {3, 3, 5});
        check(p, "Maxout(2)", () -> new Maxout(2), x, dy, 0, a -> a[0].reshape(3, 3, 2, 5).max(new int[] {2}));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void pooling(Path p) {
        int[] s = {2, 3, 8, 40};
        // plane 0, rows 0–1: windows 0 (a NaN), 1 (+∞ then NaN), 2 (two NaNs), 3 (−∞ only); then a few anywhere
        Tensor x = specials(5, 1f, 0.02, s, NAN, 0, INF, 2, NAN, 43, NAN, 4, NAN, 45, -INF, 6, -INF, 7, -INF, 46, -INF, 47);
        Shape k2 = new Shape(2, 2);
        Shape k3 = new Shape(3, 3);
        Shape none = new Shape(0, 0);
        Shape one = new Shape(1, 1);
        Tensor dy2 = specials(6, 1f, 0.02, new int[] {2, 3, 4, 20});
        Tensor dy3 = specials(7, 1f, 0.02, new int[] {2, 3, 4, 20});
        check(p, "MaxPool(2)", () -> new MaxPool(2), x, dy2, 0, a -> a[0].getNDArrayInternal().maxPool(k2, k2, none, false));
        check(p, "MaxPool(3, 2, padding 1)", () -> new MaxPool(new MaxPool.Config(3, 2, 1, false)), x, dy3, 0,
                a -> a[0].getNDArrayInternal().maxPool(k3, k2, one, false));
        check(p, "AvgPool(2)", () -> new AvgPool(2), x, dy2, 1e-6, a -> a[0].getNDArrayInternal().avgPool(k2, k2, none, false, true));
        check(p, "AvgPool(3, 2, padding 1)", () -> new AvgPool(new AvgPool.Config(3, 2, 1, false)), x, dy3, 1e-6,
                a -> a[0].getNDArrayInternal().avgPool(k3, k2, one, false, true));
        check(p, "GlobalAvgPool", GlobalAvgPool::new, x, specials(8, 1f, 0.1, new int[] {2, 3, 1, 1}), 1e-6,
                a -> a[0].mean(new int[] {3}, true).mean(new int[] {2}, true)); // DJL's mean takes one axis at a time
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void linearAndConv2d(Path p) {
        Tensor x = specials(9, 1f, 0, new int[] {4, 6}, NAN, 1, INF, 15, -INF, 16, -INF, 18);
        Tensor dy = specials(10, 1f, 0, new int[] {4, 5}, NAN, 7);
        Linear lin = new Linear(6, 5, 11);
        check(p, "Linear(6, 5)", () -> new Linear(6, 5, 11), x, dy, 1e-5,
                a -> a[0].getNDArrayInternal().linear(a[0], a[1], a[2]).singletonOrThrow(), lin.weight().value(), lin.bias().value());
        Tensor xc = specials(12, 1f, 0, new int[] {2, 3, 7, 6}, NAN, 10, INF, 126 + 40, -INF, 126 + 100);
        // NOTE: the NaN in dY is off the border. At the border a non-finite dY meets the zero padding in
        // dW's taps: im2col multiplies it by that 0 (NaN), libtorch's convolution skips the padding (finite).
        Tensor dyc = specials(13, 1f, 0, new int[] {2, 4, 7, 6}, NAN, 21);
        Conv2d conv = new Conv2d(new Conv2d.Config(3, 4, 3, 1, 1, true, false), 14);
        check(p, "Conv2d(3→4, k3, pad 1)", () -> new Conv2d(new Conv2d.Config(3, 4, 3, 1, 1, true, false), 14), xc, dyc, 1e-4,
                a -> Conv2dTest.torchConv(a[0], a[1], a[2], 1, 1), conv.weight(), conv.bias());
        Conv2d ws = new Conv2d(new Conv2d.Config(3, 4, 3, 1, 1, true, true), 15);
        check(p, "Conv2d weight standardization", () -> new Conv2d(new Conv2d.Config(3, 4, 3, 1, 1, true, true), 15), xc,
                dyc, 1e-4, a -> Conv2dTest.torchConv(a[0], NormOracle.groupNorm(a[1], 1, null, null, 1e-5), a[2], 1, 1),
                ws.weight(), ws.bias());
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void softmaxAndCrossEntropy(Path p) {
        // rows: a NaN, a +∞, a −∞, none; and over an inner axis of 32 positions (the vector loops)
        Tensor rows = specials(16, 2f, 0, new int[] {4, 10}, NAN, 3, INF, 15, -INF, 27);
        Tensor dRows = specials(17, 1f, 0, new int[] {4, 10}, NAN, 39);
        Tensor maps = specials(18, 2f, 0.02, new int[] {2, 5, 4, 8});
        Tensor dMaps = specials(19, 1f, 0.01, new int[] {2, 5, 4, 8});
        check(p, "Softmax(1) rows", () -> new Softmax(1), rows, dRows, 1e-6, a -> a[0].softmax(1));
        check(p, "LogSoftmax(1) rows", () -> new LogSoftmax(1), rows, dRows, 1e-6, a -> a[0].logSoftmax(1));
        check(p, "Softmax(1) maps", () -> new Softmax(1), maps, dMaps, 1e-6, a -> a[0].softmax(1));
        check(p, "LogSoftmax(1) maps", () -> new LogSoftmax(1), maps, dMaps, 1e-6, a -> a[0].logSoftmax(1));
        int[] labels = {2, 5, 7, 0};
        crossEntropy(p, "−∞ logits off the label", specials(20, 2f, 0, new int[] {4, 10}, -INF, 3, -INF, 27), labels);
        crossEntropy(p, "a NaN logit", specials(21, 2f, 0, new int[] {4, 10}, NAN, 14), labels);
        crossEntropy(p, "+∞ logit", specials(22, 2f, 0, new int[] {4, 10}, INF, 31), labels);
    }

    private static void crossEntropy(Path p, String name, Tensor logits, int[] labels) {
        Tensor[] r = NonFinite.on(p, () -> {
            CrossEntropyLoss ce = new CrossEntropyLoss();
            float loss = ce.forward(place(p, logits), labels);
            return new Tensor[] {Tensor.of(new float[] {loss}, 1), host(ce.backward())};
        });
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray z = t.withGrad(logits);
            NDArray logp = z.logSoftmax(1);
            NDArray loss = null;
            for (int i = 0; i < labels.length; i++) {
                NDArray term = logp.get(i, labels[i]).neg();
                loss = loss == null ? term : loss.add(term);
            }
            loss = loss.div(labels.length);
            gc.backward(loss);
            assertSame("CrossEntropyLoss, " + name + " " + p + " loss", Torch.tensor(loss).reshape(1), r[0], 1e-6);
            assertSame("CrossEntropyLoss, " + name + " " + p + " dlogits", Torch.grad(z), r[1], 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void dropout(Path p) {
        int[] s = {4, 3, 5, 5};
        Tensor x = specials(23, 1f, 0.1, s);
        Tensor dy = specials(24, 1f, 0.05, s);
        Dropout first = Dropout.keep(0.5).withSeed(7);
        first.forward(x);
        Tensor mask = first.lastMask(); // the draw of a fresh layer's first forward: the mask of each run below
        check(p, "Dropout(keep=0.5) train", () -> Dropout.keep(0.5).withSeed(7), x, dy, 0,
                a -> a[0].mul(a[0].getManager().create(mask.data(), new Shape(4, 3, 5, 5))).mul(2f));
        check(p, "Dropout(keep=0.5) eval", () -> {
            Dropout d = Dropout.keep(0.5).withSeed(7);
            d.train(false);
            return d;
        }, x, dy, 0, a -> a[0].mul(1f));
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void norms(Path p) {
        int[] s = {4, 4, 5, 6};
        // a NaN in sample 0 channel 1, +∞ in sample 3 channel 2, −∞ in sample 2 channel 3: other statistics stay finite
        Tensor x = specials(25, 1f, 0, s, NAN, 30 + 7, INF, 3 * 120 + 60 + 11, -INF, 2 * 120 + 90 + 4);
        Tensor dyNan = specials(26, 1f, 0, s, NAN, 5, NAN, 200);
        Tensor dyInf = specials(27, 1f, 0, s, INF, 200, -INF, 333);
        for (Tensor dy : new Tensor[] {dyNan, dyInf}) {
            // an infinite dY: BatchNorm's backward is arranged as libtorch's, the group-norm kernel's is not
            Verdict groupNorms = dy == dyNan ? NonFinite::assertSame : NonFinite::assertNonFiniteWhere;
            String tag = dy == dyNan ? " (NaN in dY)" : " (±∞ in dY)";
            norms(p, tag, x, dy, groupNorms);
        }
    }

    private static void norms(Path p, String tag, Tensor x, Tensor dy, Verdict groupNorms) {
        Tensor ones = Tensor.ones(4);
        Tensor zeros = Tensor.zeros(4);
        check(p, "BatchNorm train" + tag, () -> new BatchNorm(4), x, dy, 1e-5,
                a -> NormOracle.batchNorm(a[0], a[0].getManager().zeros(new Shape(4)), a[0].getManager().ones(new Shape(4)),
                        a[1], a[2], true, 0.1, 1e-5), ones, zeros);
        check(p, "BatchNorm eval" + tag, () -> {
            BatchNorm bn = new BatchNorm(4);
            bn.train(false);
            return bn;
        }, x, dy, 1e-5, a -> NormOracle.batchNorm(a[0], a[0].getManager().zeros(new Shape(4)),
                a[0].getManager().ones(new Shape(4)), a[1], a[2], false, 0.1, 1e-5), ones, zeros);
        check(p, "LayerNorm(C,H,W)" + tag, () -> new LayerNorm(4, 5, 6), x, dy, 1e-5, groupNorms,
                a -> JniUtils.layerNorm((PtNDArray) a[0], new Shape(4, 5, 6), (PtNDArray) a[1], (PtNDArray) a[2], 1e-5),
                Tensor.ones(4, 5, 6), Tensor.zeros(4, 5, 6));
        check(p, "InstanceNorm" + tag, () -> new InstanceNorm(4), x, dy, 1e-5, groupNorms,
                a -> NormOracle.groupNorm(a[0], 4, null, null, 1e-5));
        check(p, "GroupNorm(2)" + tag, () -> new GroupNorm(2, 4), x, dy, 1e-5, groupNorms,
                a -> NormOracle.groupNorm(a[0], 2, a[1], a[2], 1e-5), ones, zeros);
    }
}
