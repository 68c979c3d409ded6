package layerlab.bench;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import layerlab.nn.AvgPool;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.Convention;
import layerlab.nn.Dropout;
import layerlab.nn.ELU;
import layerlab.nn.GELU;
import layerlab.nn.GroupNorm;
import layerlab.nn.InstanceNorm;
import layerlab.nn.Layer;
import layerlab.nn.LayerNorm;
import layerlab.nn.LeakyReLU;
import layerlab.nn.LogSoftmax;
import layerlab.nn.Linear;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
import layerlab.nn.SiLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Softmax;
import layerlab.nn.Tanh;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * The operations of the benchmark: each a layerlab layer and the libtorch call that computes the
 * same thing, with its minimal cost for the "fraction of the machine's limit" column.
 *
 * <p>Bytes count every tensor the pass must read or write once, 4 bytes per float: forward
 * x → y; backward dy (+ x or y) → dx; dropout's mask is not counted (counter-based numbers can
 * draw it again in backward, as layerlab does). FLOPs count the multiply-adds of the GEMMs as 2
 * (backward: dX and dW, twice forward).
 */
final class Ops {
    private Ops() {}

    /** libtorch side of one op: inputs [x, params…, consts…] as fresh handles. */
    interface TorchFn {
        PtNDArray apply(PtNDArray[] in);
    }

    /** bytes and FLOPs of one pass (either may be 0). */
    record Cost(double bytes, double flops) {}

    /** x → layer; the libtorch arrays {@code params} need gradients, {@code consts} do not. */
    record Op(String name, Tensor x, Layer layer, boolean training, Tensor[] params, Tensor[] consts,
              TorchFn torch, Cost forward, Cost forwardBackward) {}

    static final int N = 32, C = 64, H = 56, W = 56;

    static List<Op> all(Libtorch lt) throws IOException {
        Tensor x = Tensor.randn(Seed.of(1), N, C, H, W);
        double s = 4.0 * x.numel();
        Cost act = new Cost(2 * s, 0);
        Cost actFb = new Cost(5 * s, 0);
        Cost pool = new Cost(1.25 * s, 0);
        Cost poolFb = new Cost(2.5 * s, 0);
        Tensor[] none = new Tensor[0];
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("ReLU", x, new ReLU(), true, none, none, in -> JniUtils.relu(in[0]), act, actFb));
        ops.add(new Op("Sigmoid", x, new Sigmoid(), true, none, none, in -> JniUtils.sigmoid(in[0]), act, actFb));
        ops.add(new Op("Tanh", x, new Tanh(), true, none, none, in -> JniUtils.tanh(in[0]), act, actFb));
        ops.add(new Op("LeakyReLU(0.01)", x, LeakyReLU.pytorch(), true, none, none,
                in -> JniUtils.leakyRelu(in[0], 0.01), act, actFb));
        ops.add(new Op("ELU(1)", x, new ELU(1f), true, none, none, in -> JniUtils.elu(in[0], 1.0), act, actFb));
        ops.add(new Op("Dropout(drop=0.5) train", x, Dropout.drop(0.5).withSeed(7), true, none, none,
                in -> JniUtils.dropout(in[0], 0.5, true), act, new Cost(4 * s, 0))); // the mask can be drawn again: x, y; dy, dx
        ops.add(new Op("MaxPool 2x2/2", x, new MaxPool(2, 2), true, none, none,
                in -> JniUtils.maxPool(in[0], new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false), pool, poolFb));
        ops.add(new Op("MaxPool 3x3/2 pad 1", x, new MaxPool(new MaxPool.Config(3, 2, 1, false)), true, none, none,
                in -> JniUtils.maxPool(in[0], new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false), pool, poolFb));
        ops.add(new Op("AvgPool 2x2/2", x, new AvgPool(2, 2), true, none, none,
                in -> JniUtils.avgPool(in[0], new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true), pool, poolFb));
        ops.add(new Op("Softmax over C", x, new Softmax(1), true, none, none,
                in -> JniUtils.softmax(in[0], 1, ai.djl.ndarray.types.DataType.FLOAT32), act, actFb));
        Tensor[] gb = {Tensor.ones(C), Tensor.zeros(C)};
        Tensor[] run = {Tensor.zeros(C), Tensor.ones(C)};
        // NOTE: JniUtils.batchNorm's real argument order: input, runningMean, runningVar, weight, bias
        ops.add(new Op("BatchNorm train", x, new BatchNorm(C, Convention.PYTORCH), true, gb, run,
                in -> JniUtils.batchNorm(in[0], in[3], in[4], in[1], in[2], true, 0.1, 1e-5), act, actFb));
        ops.add(new Op("BatchNorm eval", x, new BatchNorm(C, Convention.PYTORCH), false, gb, run,
                in -> JniUtils.batchNorm(in[0], in[3], in[4], in[1], in[2], false, 0.1, 1e-5), act, actFb));
        Tensor[] lnAffine = {Tensor.ones(C, H, W), Tensor.zeros(C, H, W)};
        ops.add(new Op("LayerNorm (C,H,W)", x, new LayerNorm(C, H, W), true, lnAffine, none,
                in -> JniUtils.layerNorm(in[0], new Shape(C, H, W), in[1], in[2], 1e-5), act, actFb));
        PtSymbolBlock instanceNorm = lt.script("x", "torch.instance_norm(x, None, None, None, None, True, 0.1, 1.0e-5, False)");
        ops.add(new Op("InstanceNorm", x, new InstanceNorm(C), true, none, none,
                in -> Libtorch.call(instanceNorm, in[0]), act, actFb));
        PtSymbolBlock groupNorm = lt.script("x, w, b", "torch.group_norm(x, 8, w, b, 1.0e-5, False)");
        ops.add(new Op("GroupNorm(8)", x, new GroupNorm(8, C), true, gb, none,
                in -> Libtorch.call(groupNorm, in[0], in[1], in[2]), act, actFb));
        ops.add(conv(x, C, 3, 1, 1, ""));
        ops.add(linear(256, 4096, 4096));
        ops.add(linear(32, 25088, 10));
        return ops;
    }

    /**
     * The sweep (bench/run.sh --sweep): the course's other shapes — rank 2, the last axis of
     * classifier logits, batch 1, MNIST, CIFAR and 224×224 images, odd planes, LayerNorm over a
     * trailing dimension, GroupNorm(32), 1×1 and strided convolutions, GELU and SiLU. Each row's
     * answer is checked against libtorch before it is timed ({@link Check}).
     */
    static List<Op> sweep(Libtorch lt) throws IOException {
        List<Op> ops = new ArrayList<>();
        ops.add(batchNorm(Tensor.randn(Seed.of(11), 512, 1024), true, " train (rank 2)"));
        ops.add(batchNorm(Tensor.randn(Seed.of(12), 64, 256), true, " train (rank 2)"));
        ops.add(linear(1, 4096, 4096, " (batch 1)"));
        ops.add(linear(1024, 1024, 1024));
        ops.add(linear(64, 784, 256, " (MNIST MLP)"));
        for (int[] logits : new int[][] {{64, 10}, {512, 1000}}) {
            Tensor x = Tensor.randn(Seed.of(13), logits);
            ops.add(new Op("Softmax(-1) " + dims(x), x, new Softmax(-1), true, NONE, NONE,
                    in -> JniUtils.softmax(in[0], -1, DataType.FLOAT32), bytes(2, x), bytes(5, x)));
            ops.add(new Op("LogSoftmax(-1) " + dims(x), x, new LogSoftmax(-1), true, NONE, NONE,
                    in -> JniUtils.logSoftmax(in[0], -1, DataType.FLOAT32), bytes(2, x), bytes(5, x)));
            ops.add(crossEntropy(lt, x));
        }
        Tensor tokens = Tensor.randn(Seed.of(14), 64, 128, 768);
        ops.add(new Op("GELU (erf) " + dims(tokens), tokens, new GELU(), true, NONE, NONE,
                in -> JniUtils.gelu(in[0]), bytes(2, tokens), bytes(5, tokens)));
        PtSymbolBlock silu = lt.script("x", "torch.silu(x)");
        ops.add(new Op("SiLU " + dims(tokens), tokens, new SiLU(), true, NONE, NONE,
                in -> Libtorch.call(silu, in[0]), bytes(2, tokens), bytes(5, tokens)));
        ops.add(new Op("LayerNorm(768) " + dims(tokens), tokens, new LayerNorm(768), true,
                new Tensor[] {Tensor.ones(768), Tensor.zeros(768)}, NONE,
                in -> JniUtils.layerNorm(in[0], new Shape(768), in[1], in[2], 1e-5), bytes(2, tokens), bytes(5, tokens)));
        Tensor maps = Tensor.randn(Seed.of(15), 16, 128, 28, 28);
        PtSymbolBlock groupNorm32 = lt.script("x, w, b", "torch.group_norm(x, 32, w, b, 1.0e-5, False)");
        ops.add(new Op("GroupNorm(32) " + dims(maps), maps, new GroupNorm(32, 128), true,
                new Tensor[] {Tensor.ones(128), Tensor.zeros(128)}, NONE,
                in -> Libtorch.call(groupNorm32, in[0], in[1], in[2]), bytes(2, maps), bytes(5, maps)));
        ops.add(conv(Tensor.randn(Seed.of(16), 64, 3, 32, 32), 16, 3, 1, 1, ", 64x3x32x32 (CIFAR)"));
        ops.add(conv(Tensor.randn(Seed.of(17), 64, 1, 28, 28), 32, 3, 1, 1, ", 64x1x28x28 (MNIST)"));
        ops.add(conv(Tensor.randn(Seed.of(18), 32, 64, 28, 28), 128, 1, 1, 0, ", 32x64x28x28"));
        ops.add(conv(Tensor.randn(Seed.of(19), 32, 64, 56, 56), 128, 3, 2, 1, ", 32x64x56x56"));
        ops.add(conv(Tensor.randn(Seed.of(20), 8, 3, 224, 224), 64, 7, 2, 3, ", 8x3x224x224"));
        Tensor big = Tensor.randn(Seed.of(21), 8, 64, 112, 112); // a 224×224 image after the 7×7/2 stem
        ops.add(new Op("ReLU " + dims(big), big, new ReLU(), true, NONE, NONE, in -> JniUtils.relu(in[0]),
                bytes(2, big), bytes(5, big)));
        ops.add(maxPool(big, 2, 2, 0));
        for (int[] plane : new int[][] {{7, 9}, {15, 15}}) {
            Tensor x = Tensor.randn(Seed.of(22), 64, 64, plane[0], plane[1]);
            ops.add(avgPool(x, 3, 2, 1));
            ops.add(maxPool(x, 3, 2, 1));
            ops.add(batchNorm(x, true, " train"));
        }
        ops.add(conv(Tensor.randn(Seed.of(23), 1, 64, 56, 56), 64, 3, 1, 1, ", 1x64x56x56 (batch 1)"));
        ops.add(batchNorm(Tensor.randn(Seed.of(24), 1, 64, 56, 56), false, " eval (batch 1)"));
        return ops;
    }

    private static final Tensor[] NONE = new Tensor[0];

    /** k bytes per element of x (4 bytes each): 2 for x → y, 5 for forward + backward (x, y; dy, x or y, dx). */
    private static Cost bytes(double k, Tensor x) {
        return new Cost(k * 4.0 * x.numel(), 0);
    }

    /** "64x128x768" */
    private static String dims(Tensor x) {
        return Arrays.stream(x.shape()).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    /** BatchNorm (PyTorch's convention) on rank 2 (N, C) or 4 (N, C, H, W), channel axis 1; γ = 1, β = 0, μ = 0, σ² = 1. */
    private static Op batchNorm(Tensor x, boolean training, String note) {
        int c = x.size(1);
        Tensor[] gb = {Tensor.ones(c), Tensor.zeros(c)};
        Tensor[] run = {Tensor.zeros(c), Tensor.ones(c)};
        // NOTE: JniUtils.batchNorm's real argument order: input, runningMean, runningVar, weight, bias
        return new Op("BatchNorm" + note + " " + dims(x), x, new BatchNorm(c, Convention.PYTORCH), training, gb, run,
                in -> JniUtils.batchNorm(in[0], in[3], in[4], in[1], in[2], training, 0.1, 1e-5), bytes(2, x), bytes(5, x));
    }

    /** Pooling's cost: x and y forward, dy and dx backward, y a fraction of x. */
    private static Cost[] poolCost(Tensor x, Layer pool) {
        double f = (double) Arrays.stream(pool.outputShape(x.shape())).asLongStream().reduce(1, (a, b) -> a * b) / x.numel();
        return new Cost[] {bytes(1 + f, x), bytes(2 * (1 + f), x)};
    }

    private static Op maxPool(Tensor x, int k, int stride, int pad) {
        MaxPool pool = new MaxPool(new MaxPool.Config(k, stride, pad, false));
        Cost[] cost = poolCost(x, pool);
        Shape ks = new Shape(k, k), ss = new Shape(stride, stride), ps = new Shape(pad, pad);
        return new Op("MaxPool " + k + "x" + k + "/" + stride + (pad > 0 ? " pad " + pad : "") + " " + dims(x), x, pool, true,
                NONE, NONE, in -> JniUtils.maxPool(in[0], ks, ss, ps, false), cost[0], cost[1]);
    }

    private static Op avgPool(Tensor x, int k, int stride, int pad) {
        AvgPool pool = new AvgPool(new AvgPool.Config(k, stride, pad, false, true));
        Cost[] cost = poolCost(x, pool);
        Shape ks = new Shape(k, k), ss = new Shape(stride, stride), ps = new Shape(pad, pad);
        return new Op("AvgPool " + k + "x" + k + "/" + stride + (pad > 0 ? " pad " + pad : "") + " " + dims(x), x, pool, true,
                NONE, NONE, in -> JniUtils.avgPool(in[0], ks, ss, ps, false, true), cost[0], cost[1]);
    }

    /**
     * Cross entropy (mean over the batch) of logits (B, N) against fixed labels. libtorch gets the
     * labels as a float constant and casts them to int64 inside the call (B elements, next to
     * nothing). Cost: the logits read, and dlogits written.
     */
    private static Op crossEntropy(Libtorch lt, Tensor logits) throws IOException {
        int b = logits.size(0), n = logits.size(1);
        int[] labels = new int[b];
        float[] asFloat = new float[b];
        for (int i = 0; i < b; i++) {
            labels[i] = (7 * i + 3) % n;
            asFloat[i] = labels[i];
        }
        PtSymbolBlock ce = lt.script("x, t", "torch.reshape(torch.cross_entropy_loss(x, torch.to(t, 4), None, 1, -100, 0.0), [1])");
        return new Op("CrossEntropy " + dims(logits), logits, new CrossEntropyLayer(labels), true, NONE,
                new Tensor[] {Tensor.of(asFloat, b)}, in -> Libtorch.call(ce, in[0], in[1]), bytes(1, logits), bytes(2, logits));
    }

    /**
     * Conv2d with bias on x; cost: the GEMM's FLOPs (backward: dX and dW, twice forward) and the
     * bytes of x, W and y (backward adds dy, x, W, dx, dW), the limit being the larger.
     */
    private static Op conv(Tensor x, int out, int kernel, int stride, int padding, String note) {
        int n = x.size(0), c = x.size(1);
        Conv2d conv = new Conv2d(new Conv2d.Config(c, out, kernel, stride, padding, true, false), 3);
        Tensor[] wb = {conv.parameters().get(0).value(), conv.parameters().get(1).value()};
        int[] y = conv.outputShape(x.shape());
        double flops = 2.0 * n * out * c * kernel * kernel * y[2] * y[3];
        double xb = 4.0 * x.numel(), wbytes = 4.0 * out * c * kernel * kernel, yb = 4.0 * n * out * y[2] * y[3];
        String name = "Conv2d " + kernel + "x" + kernel + (stride > 1 ? "/" + stride : "") + " " + c + "->" + out
                + (padding > 0 ? " pad " + padding : "") + note;
        Shape s = new Shape(stride, stride), p = new Shape(padding, padding);
        return new Op(name, x, conv, true, wb, new Tensor[0],
                in -> JniUtils.convolution(in[0], in[1], in[2], s, p, new Shape(1, 1), 1),
                new Cost(xb + wbytes + yb, flops), new Cost(2 * (xb + wbytes + yb) + xb + wbytes, 3 * flops));
    }

    private static Op linear(int batch, int in, int out) {
        return linear(batch, in, out, "");
    }

    private static Op linear(int batch, int in, int out, String note) {
        Linear fc = new Linear(in, out, 5);
        Tensor x = Tensor.randn(Seed.of(2), batch, in);
        Tensor[] ab = {fc.weight().value(), fc.bias().value()};
        double flops = 2.0 * batch * in * out;
        double bytesF = 4.0 * ((double) batch * in + (double) in * out + (double) batch * out);
        double bytesB = bytesF + 4.0 * ((double) batch * out + 2.0 * in * out + 2.0 * batch * in);
        return new Op("Linear " + batch + "x" + in + "->" + out + note, x, fc, true, ab, new Tensor[0],
                t -> JniUtils.linear(t[0], t[1], t[2]), new Cost(bytesF, flops), new Cost(bytesB, 3 * flops));
    }
}
