package layerlab.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import layerlab.nn.AvgPool;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.Convention;
import layerlab.nn.Dropout;
import layerlab.nn.ELU;
import layerlab.nn.GroupNorm;
import layerlab.nn.InstanceNorm;
import layerlab.nn.Layer;
import layerlab.nn.LayerNorm;
import layerlab.nn.LeakyReLU;
import layerlab.nn.Linear;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
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
        ops.add(conv(x));
        ops.add(linear(256, 4096, 4096));
        ops.add(linear(32, 25088, 10));
        return ops;
    }

    private static Op conv(Tensor x) {
        Conv2d conv = new Conv2d(new Conv2d.Config(C, C, 3, 1, 1, true, false), 3);
        Tensor[] wb = {conv.parameters().get(0).value(), conv.parameters().get(1).value()};
        double flops = 2.0 * N * C * C * 9 * H * W;
        return new Op("Conv2d 3x3 64->64 pad 1", x, conv, true, wb, new Tensor[0],
                in -> JniUtils.convolution(in[0], in[1], in[2], new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1),
                new Cost(0, flops), new Cost(0, 3 * flops));
    }

    private static Op linear(int batch, int in, int out) {
        Linear fc = new Linear(in, out, 5);
        Tensor x = Tensor.randn(Seed.of(2), batch, in);
        Tensor[] ab = {fc.weight().value(), fc.bias().value()};
        double flops = 2.0 * batch * in * out;
        double bytesF = 4.0 * ((double) batch * in + (double) in * out + (double) batch * out);
        double bytesB = bytesF + 4.0 * ((double) batch * out + 2.0 * in * out + 2.0 * batch * in);
        return new Op("Linear " + batch + "x" + in + "->" + out, x, fc, true, ab, new Tensor[0],
                t -> JniUtils.linear(t[0], t[1], t[2]), new Cost(bytesF, flops), new Cost(bytesB, 3 * flops));
    }
}
