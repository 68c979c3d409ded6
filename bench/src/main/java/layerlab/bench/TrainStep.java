package layerlab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import layerlab.nn.Conv2d;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Flatten;
import layerlab.nn.Layer;
import layerlab.nn.Linear;
import layerlab.nn.MaxPool;
import layerlab.nn.Parameter;
import layerlab.nn.ReLU;
import layerlab.tensor.Tensor;

/**
 * One training step of the lecture's template INPUT → [[CONV → RELU]·2 → POOL]·2 → [FC → RELU]·1
 * → FC → Softmax (cross entropy) on a 64×1×28×28 batch: forward, loss, backward, SGD with
 * momentum 0.9, gradients zeroed. Channels 32, 32 | 64, 64; FC 3136 → 128 → 10. Both sides start
 * from the same weights and the same batch.
 */
final class TrainStep {
    static final int B = 64;
    static final float LR = 0.01f, MOMENTUM = 0.9f;

    private final List<Layer> net = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<float[]> velocity = new ArrayList<>();
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor x = Tensor.randn(11, B, 1, 28, 28);
    private final int[] labels = new int[B];
    private final Libtorch lt;
    private final List<PtNDArray> tParams = new ArrayList<>(); // leaves with requires_grad
    private final List<PtNDArray> tMomentum = new ArrayList<>();
    private final PtNDArray tx;
    private final PtNDArray tOneHot;
    private double flops;

    TrainStep(Libtorch lt) {
        this.lt = lt;
        int[][] convs = {{1, 32}, {32, 32}, {32, 64}, {64, 64}};
        int hw = 28;
        long seed = 100;
        for (int i = 0; i < convs.length; i++) {
            Conv2d conv = new Conv2d(new Conv2d.Config(convs[i][0], convs[i][1], 3, 1, 1, true, false), seed++);
            net.add(conv);
            net.add(new ReLU());
            flops += 3 * 2.0 * B * convs[i][0] * convs[i][1] * 9 * hw * hw;
            if (i % 2 == 1) {
                net.add(new MaxPool(2, 2));
                hw /= 2;
            }
        }
        net.add(new Flatten());
        Linear fc1 = new Linear(64 * 7 * 7, 128, seed++);
        Linear fc2 = new Linear(128, 10, seed);
        net.add(fc1);
        net.add(new ReLU());
        net.add(fc2);
        flops += 3 * 2.0 * B * (64 * 7 * 7 * 128 + 128 * 10);
        for (Layer l : net) {
            for (Parameter p : l.parameters()) {
                params.add(p);
                velocity.add(new float[p.value().numel()]);
                PtNDArray t = lt.of(p.value());
                JniUtils.attachGradient(t, true);
                tParams.add(t);
                tMomentum.add(lt.of(Tensor.zeros(p.value().shape())));
            }
        }
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
        Tensor h = x;
        for (Layer l : net) {
            h = l.forward(h);
        }
        loss.forward(h, labels);
        Tensor g = loss.backward();
        for (int i = net.size() - 1; i >= 0; i--) {
            g = net.get(i).backward(g);
        }
        for (int i = 0; i < params.size(); i++) { // SGD with momentum, as torch.optim.SGD: v ← μv + g; w ← w − lr·v
            float[] w = params.get(i).value().data();
            float[] gr = params.get(i).grad().data();
            float[] v = velocity.get(i);
            for (int j = 0; j < w.length; j++) {
                v[j] = MOMENTUM * v[j] + gr[j];
                w[j] -= LR * v[j];
                gr[j] = 0f;
            }
        }
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
