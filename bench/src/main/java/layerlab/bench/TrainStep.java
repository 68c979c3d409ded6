package layerlab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import layerlab.nn.Conv2d;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Layer;
import layerlab.nn.Linear;
import layerlab.nn.Parameter;
import layerlab.nn.Sequential;
import layerlab.nn.Template;
import layerlab.optim.SGD;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * One training step of the lecture's template (layerlab.nn.Template)
 * INPUT → [[CONV → RELU]·2 → POOL]·2 → [FC → RELU]·1 → FC, cross entropy from the logits, on a
 * 64×1×28×28 batch: forward, loss, backward, SGD (lr 0.01, momentum 0.9), gradients zeroed.
 * Channels 32, 32 | 64, 64; FC 3136 → 128 → 10. libtorch runs the same network from the same
 * weights and the same batch (conv, relu, max-pool, linear, log-softmax, NLL as a sum with a
 * one-hot weight, autograd, its SGD update).
 */
final class TrainStep {
    static final int B = 64;
    static final float LR = 0.01f, MOMENTUM = 0.9f;

    private final Sequential net = Template.input(1, 28, 28).convRelu(2, 32, 64).fcRelu(128).classes(10).seed(100).logits();
    private final SGD sgd;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor x = Tensor.randn(Seed.of(11), B, 1, 28, 28);
    private final int[] labels = new int[B];
    private final Libtorch lt;
    private final List<PtNDArray> tParams = new ArrayList<>(); // leaves with requires_grad, in net.parameters() order
    private final List<PtNDArray> tMomentum = new ArrayList<>();
    private final PtNDArray tx;
    private final PtNDArray tOneHot;
    private double flops;

    TrainStep(Libtorch lt) {
        this.lt = lt;
        int[] shape = {B, 1, 28, 28};
        List<Parameter> trainable = new ArrayList<>();
        for (Layer l : net.layers()) {
            int[] out = l.outputShape(shape);
            if (l instanceof Conv2d || l instanceof Linear) {
                int fanIn = l instanceof Linear ? shape[1] : shape[1] * 9;
                int outputs = 1;
                for (int i = 1; i < out.length; i++) {
                    outputs *= out[i];
                }
                flops += 3 * 2.0 * B * fanIn * outputs; // forward, dX and dW
            }
            shape = out;
        }
        for (Parameter p : net.parameters()) {
            if (p.trainable()) {
                trainable.add(p);
                PtNDArray t = lt.of(p.value());
                JniUtils.attachGradient(t, true);
                tParams.add(t);
                tMomentum.add(lt.of(Tensor.zeros(p.value().shape())));
            }
        }
        sgd = new SGD(trainable, LR, MOMENTUM);
        float[] onehot = new float[B * 10];
        for (int i = 0; i < B; i++) {
            labels[i] = (i * 7) % 10;
            onehot[i * 10 + labels[i]] = -1f / B; // loss = Σ onehot · log p = mean NLL
        }
        tx = lt.of(x);
        tOneHot = lt.of(Tensor.of(onehot, B, 10));
    }

    double flops() {
        return flops;
    }

    void layerlab() {
        loss.forward(net.forward(x), labels);
        net.backwardParameters(loss.backward()); // as libtorch: x does not require grad, so no dX for it
        sgd.step();
        sgd.zeroGrad();
    }

    Measure.Case torchCase() {
        NDManager[] scope = new NDManager[1];
        return new Measure.Case(() -> {
            JniUtils.setGradMode(true);
            scope[0] = lt.base().newSubManager();
        }, () -> {
            PtNDArray h = Libtorch.view(tx, scope[0], false);
            int p = 0;
            Shape one = new Shape(1, 1);
            for (int i = 0; i < 4; i++) {
                h = JniUtils.convolution(h, tParams.get(p), tParams.get(p + 1), one, one, one, 1);
                p += 2;
                h = JniUtils.relu(h);
                if (i % 2 == 1) {
                    h = JniUtils.maxPool(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                }
            }
            h = (PtNDArray) h.reshape(B, 64 * 7 * 7);
            h = JniUtils.relu(JniUtils.linear(h, tParams.get(p), tParams.get(p + 1)));
            h = JniUtils.linear(h, tParams.get(p + 2), tParams.get(p + 3));
            PtNDArray logp = JniUtils.logSoftmax(h, 1, ai.djl.ndarray.types.DataType.FLOAT32);
            PtNDArray l = JniUtils.sum(JniUtils.mul(logp, tOneHot));
            JniUtils.backward(l, (PtNDArray) scope[0].ones(new Shape()), false, false);
            JniUtils.setGradMode(false);
            for (int i = 0; i < tParams.size(); i++) {
                PtNDArray w = tParams.get(i);
                PtNDArray g = JniUtils.getGradient(w);
                g.attach(scope[0]);
                JniUtils.sgdUpdate(w, g, tMomentum.get(i), LR, 0f, 1f, -1f, MOMENTUM);
                JniUtils.zeroGrad(w);
            }
        }, () -> {
            scope[0].close();
            JniUtils.setGradMode(false);
        });
    }
}
