package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import layerlab.nn.TestLayers.ChannelSum;
import layerlab.nn.TestLayers.Scale;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Sequential, Concat and Residual together against the same graph in libtorch autograd. */
class CompositionTorchTest {
    @Test
    void composedNetworkMatchesLibtorchForwardAndBackward() {
        Scale a = new Scale("a", 1.7f);
        Scale b = new Scale("b", -0.8f);
        Sequential net = new Sequential(a, new Concat(new ReLU(), new ChannelSum()),
                new Residual(new Sequential(b, new ReLU())), new ChannelSum());
        Tensor x = Tensor.randn(Seed.of(21), 2, 3, 4, 5);
        Tensor y = net.forward(x);
        Tensor dy = Tensor.randn(Seed.of(22), y.shape());
        Tensor dx = net.backward(dy);
        assertEquals(4, y.rank());
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ta = t.withGrad(a.w.value());
            NDArray tb = t.withGrad(b.w.value());
            NDArray s = tx.mul(ta);                                                 // 0: Scale(a)
            NDArray c = s.getNDArrayInternal().relu().concat(s.sum(new int[] {1}, true), 1); // 1: Concat
            NDArray r = c.add(c.mul(tb).getNDArrayInternal().relu());               // 2: Residual
            NDArray ty = r.sum(new int[] {1}, true);                                // 3: ChannelSum
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose("composition forward vs libtorch", Torch.tensor(ty), y, 1e-6);
            Compare.assertClose("composition dX vs libtorch", Torch.grad(tx), dx, 1e-6);
            Compare.assertClose("composition da vs libtorch", Torch.grad(ta), a.w.grad(), 1e-5);
            Compare.assertClose("composition db vs libtorch", Torch.grad(tb), b.w.grad(), 1e-5);
        }
    }
}
