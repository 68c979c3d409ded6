package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Supplier;
import layerlab.nn.AvgPool;
import layerlab.nn.Concat;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.CrossEntropyLoss;
import layerlab.nn.Dropout;
import layerlab.nn.ELU;
import layerlab.nn.GELU;
import layerlab.nn.GlobalAvgPool;
import layerlab.nn.GroupNorm;
import layerlab.nn.InstanceNorm;
import layerlab.nn.Layer;
import layerlab.nn.LayerNorm;
import layerlab.nn.LeakyReLU;
import layerlab.nn.LogSoftmax;
import layerlab.nn.MaxPool;
import layerlab.nn.Maxout;
import layerlab.nn.PReLU;
import layerlab.nn.Parameter;
import layerlab.nn.ReLU;
import layerlab.nn.Residual;
import layerlab.nn.SiLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Softmax;
import layerlab.nn.Tanh;
import layerlab.oracle.Compare;
import layerlab.tensor.Device;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every layer through its public API, its input on OpenCL, against the same layer on the CPU:
 * output, dX and parameter gradients, and the output stays on the device.
 */
class DeviceLayersTest {
    private static final Tensor X = Tensor.randn(Seed.of(21), 2, 4, 6, 6);

    private static void same(String name, Supplier<Layer> make, Tensor x, double bound) {
        ClTests.backend();
        Layer cpu = make.get();
        Layer dev = make.get();
        Tensor y = cpu.forward(x);
        Tensor dy = Tensor.randn(Seed.of(22), y.shape());
        Tensor dx = cpu.backward(dy);
        Tensor yd = dev.forward(x.to(Device.OPENCL));
        assertEquals(Device.OPENCL, yd.device(), name + " output left the device");
        Tensor dxd = dev.backward(dy.to(Device.OPENCL));
        assertEquals(Device.OPENCL, dxd.device(), name + " dX left the device");
        Compare.assertClose(name + " forward (layer) opencl vs cpu", y, yd.to(Device.CPU), bound);
        Compare.assertClose(name + " dX (layer) opencl vs cpu", dx, dxd.to(Device.CPU), bound);
        List<Parameter> pc = cpu.parameters();
        List<Parameter> pd = dev.parameters();
        for (int i = 0; i < pc.size(); i++) {
            Compare.assertClose(name + " " + pc.get(i).name() + " grad", pc.get(i).grad(), pd.get(i).grad().to(Device.CPU), bound);
            Compare.assertClose(name + " " + pc.get(i).name() + " value", pc.get(i).value(), pd.get(i).value().to(Device.CPU), bound);
        }
    }

    @Test
    void parametersOnlyBackwardOfAConvolutionMatchesTheFullOne() {
        // Layer.backwardParameters: the kernels skip dX; dW and db as a full backward leaves them
        ClTests.backend();
        for (int stride : new int[] {1, 2}) {
            Conv2d cpu = new Conv2d(new Conv2d.Config(4, 3, 3, stride, 1, true, false), 9);
            Conv2d dev = new Conv2d(new Conv2d.Config(4, 3, 3, stride, 1, true, false), 9);
            Conv2d cpuParams = new Conv2d(new Conv2d.Config(4, 3, 3, stride, 1, true, false), 9);
            Tensor dy = Tensor.randn(Seed.of(22), cpu.forward(X).shape());
            cpu.backward(dy);
            cpuParams.forward(X);
            cpuParams.backwardParameters(dy);
            dev.forward(X.to(Device.OPENCL));
            dev.backwardParameters(dy.to(Device.OPENCL));
            for (int i = 0; i < 2; i++) {
                String what = "Conv2d stride " + stride + " " + cpu.parameters().get(i).name() + " grad";
                Compare.assertClose(what + " (cpu, parameters only)", cpu.parameters().get(i).grad(),
                        cpuParams.parameters().get(i).grad(), 1e-6);
                Compare.assertClose(what + " (opencl, parameters only)", cpu.parameters().get(i).grad(),
                        dev.parameters().get(i).grad().to(Device.CPU), 2e-5);
            }
        }
    }

    @Test
    void activations() {
        same("ReLU", ReLU::new, X, 0);
        same("Sigmoid", Sigmoid::new, X, 1e-6);
        same("Tanh", Tanh::new, X, 1e-6);
        same("LeakyReLU", () -> new LeakyReLU(0.1f), X, 0);
        same("ELU", () -> new ELU(1f), X, 1e-6);
        same("GELU", GELU::new, X, 1e-6);
        same("SiLU", SiLU::new, X, 1e-6);
        same("PReLU(4)", () -> new PReLU(4), X, 1e-6);
        same("PReLU()", PReLU::new, X, 1e-6);
        same("Maxout(2)", () -> new Maxout(2), X, 0);
        same("Maxout.affine", () -> Maxout.affine(12, 5, 3, 4), Tensor.randn(Seed.of(23), 6, 12), 2e-5);
    }

    @Test
    void poolingAndDropout() {
        same("MaxPool(2,2)", () -> new MaxPool(2, 2), X, 0);
        same("MaxPool(3,2,p1,ceil)", () -> new MaxPool(new MaxPool.Config(3, 2, 1, true)), X, 0);
        same("AvgPool(3,2,p1,excl)", () -> new AvgPool(new AvgPool.Config(3, 2, 1, false, false)), X, 1e-6);
        same("MaxPool3d(2,2)", () -> new MaxPool(2, 2), Tensor.randn(Seed.of(24), 2, 3, 4, 6, 6), 0);
        same("GlobalAvgPool", GlobalAvgPool::new, X, 1e-6);
        same("Dropout.keep(0.7)", () -> Dropout.keep(0.7).withSeed(5), X, 0);
        MaxPool cpu = new MaxPool(2, 2);
        MaxPool dev = new MaxPool(2, 2);
        cpu.forward(X);
        dev.forward(X.to(Device.OPENCL));
        assertArrayEquals(cpu.lastArgmax(), dev.lastArgmax(), "argmax read back from the device");
    }

    @Test
    void normsAndConvolution() {
        same("BatchNorm(4)", () -> new BatchNorm(4), X, 2e-5);
        same("GroupNorm(2,4)", () -> new GroupNorm(2, 4), X, 2e-5);
        same("LayerNorm(4,6,6)", () -> new LayerNorm(4, 6, 6), X, 2e-5);
        same("InstanceNorm(4)", () -> new InstanceNorm(4), X, 2e-5);
        same("Conv2d(4,3,3,1,1)", () -> new Conv2d(new Conv2d.Config(4, 3, 3, 1, 1, true, false), 9), X, 2e-5);
        same("Conv2d+WS", () -> new Conv2d(new Conv2d.Config(4, 3, 3, 2, 1, false, true), 9), X, 2e-5);
        same("Residual(ReLU)", () -> new Residual(new ReLU()), X, 0);
        same("Concat(ReLU, Conv2d)", () -> new Concat(new ReLU(),
                new Conv2d(new Conv2d.Config(4, 3, 1, 1, 0, true, false), 3)), X, 2e-5);
    }

    @Test
    void softmaxAndCrossEntropy() {
        same("Softmax(1)", () -> new Softmax(1), X, 1e-6);
        same("LogSoftmax(-1)", () -> new LogSoftmax(-1), X, 1e-6);
        Tensor logits = Tensor.randn(Seed.of(25), 8, 10);
        int[] labels = {3, 1, 4, 1, 5, 9, 2, 6};
        CrossEntropyLoss cpu = new CrossEntropyLoss();
        CrossEntropyLoss dev = new CrossEntropyLoss();
        float l = cpu.forward(logits, labels);
        float ld = dev.forward(logits.to(Device.OPENCL), labels);
        assertEquals(l, ld, 1e-6 * l);
        Compare.assertClose("CrossEntropy dlogits (layer)", cpu.backward(), dev.backward().to(Device.CPU), 1e-6);
    }
}
