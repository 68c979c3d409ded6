package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import layerlab.nn.BatchNorm;
import layerlab.nn.Parameter;
import layerlab.nn.Sequential;
import layerlab.nn.Template;
import layerlab.optim.Adam;
import layerlab.optim.Optimizer;
import layerlab.optim.SGD;
import layerlab.optim.TrainStep;
import layerlab.oracle.Compare;
import layerlab.tensor.Device;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The lecture's template network (CONV → BN → RELU, POOL, FC → RELU → DROPOUT, FC, Softmax) run
 * end to end on OpenCL equals the CPU result, forward and backward, and the values never pass
 * through the host between layers: the transfer counter sees only the input and dY going in.
 */
class DeviceNetworkTest {
    private static final Template TEMPLATE = Template.input(3, 16, 16).convRelu(2, 8, 16).fcRelu(32)
            .withBatchNorm().withDropout(0.8).seed(7);

    @Test
    void trainingStepOnTheDeviceEqualsTheCpuWithoutRoundTrips() {
        OpenClBackend cl = ClTests.backend();
        Sequential cpu = TEMPLATE.build();
        Sequential dev = TEMPLATE.build();
        Tensor x = Tensor.randn(Seed.of(1), 4, 3, 16, 16);
        Tensor dy = Tensor.randn(Seed.of(2), 4, 10);
        Tensor y = cpu.forward(x);
        Tensor dx = cpu.backward(dy);

        dev.parameters().forEach(p -> p.to(Device.OPENCL)); // the explicit move of the model, once
        long before = cl.transfers();
        Tensor yd = dev.forward(x.to(Device.OPENCL));
        Tensor dxd = dev.backward(dy.to(Device.OPENCL));
        assertEquals(2, cl.transfers() - before, "only x and dY cross to the device; no layer reads back");
        assertEquals(Device.OPENCL, yd.device());
        assertEquals(Device.OPENCL, dxd.device());

        Compare.assertClose("template forward opencl vs cpu", y, yd.to(Device.CPU), 1e-5);
        Compare.assertClose("template dX opencl vs cpu", dx, dxd.to(Device.CPU), 1e-4);
        List<Parameter> pc = cpu.parameters();
        List<Parameter> pd = dev.parameters();
        for (int i = 0; i < pc.size(); i++) {
            Parameter p = pc.get(i);
            Compare.assertClose("template " + p.name() + " #" + i + " value", p.value(), pd.get(i).value().to(Device.CPU), 1e-5);
            if (p.trainable()) {
                Compare.assertClose("template " + p.name() + " #" + i + " grad", p.grad(), pd.get(i).grad().to(Device.CPU), 1e-4);
            }
        }
    }

    @Test
    void trainingStepsWithSgdAndAdamOnTheDeviceFollowTheCpu() {
        ClTests.backend();
        Tensor x = Tensor.randn(Seed.of(4), 8, 3, 16, 16);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        for (String opt : new String[] {"SGD", "Adam"}) {
            Sequential cpu = TEMPLATE.logits();
            Sequential dev = TEMPLATE.logits();
            TrainStep tc = new TrainStep(cpu, optimizer(opt, cpu));
            TrainStep td = new TrainStep(dev, optimizer(opt, dev));
            Tensor xd = x.to(Device.OPENCL);
            for (int step = 0; step < 3; step++) {
                float lc = tc.run(x, labels).loss();
                float ld = td.run(xd, labels).loss();
                System.out.printf("%s step %d: loss cpu %.7f opencl %.7f%n", opt, step, lc, ld);
                assertEquals(lc, ld, 1e-5 * Math.abs(lc), opt + " step " + step);
            }
            List<Parameter> pc = cpu.parameters();
            List<Parameter> pd = dev.parameters();
            for (int i = 0; i < pc.size(); i++) {
                assertEquals(Device.OPENCL, pd.get(i).device());
                Compare.assertClose(opt + " trained " + pc.get(i).name() + " #" + i, pc.get(i).value(),
                        pd.get(i).value().to(Device.CPU), 1e-4);
            }
        }
    }

    private static Optimizer optimizer(String name, Sequential net) {
        return name.equals("SGD") ? new SGD(net.parameters(), 0.05, 0.9) : new Adam(net.parameters(), 1e-3);
    }

    @Test
    void evalModeForwardAndParametersFollowingTheInput() {
        ClTests.backend();
        Sequential cpu = TEMPLATE.build();
        Sequential dev = TEMPLATE.build();
        cpu.train(false);
        dev.train(false);
        Tensor x = Tensor.randn(Seed.of(3), 5, 3, 16, 16);
        Tensor y = cpu.forward(x);
        Tensor yd = dev.forward(x.to(Device.OPENCL)); // the parameters move on first use
        Compare.assertClose("template eval forward opencl vs cpu", y, yd.to(Device.CPU), 1e-5);
        BatchNorm bn = (BatchNorm) dev.get(1);
        assertEquals(Device.OPENCL, bn.runningMean().device());
    }
}
