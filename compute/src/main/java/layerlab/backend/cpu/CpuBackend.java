package layerlab.backend.cpu;

import java.util.List;
import java.util.Optional;
import layerlab.backend.Backend;
import layerlab.backend.DeviceInfo;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * The reference backend: every method calls the readable loops of a {@code *Kernels} class on
 * the tensors' host arrays. Always available.
 */
public final class CpuBackend implements Backend {
    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public List<DeviceInfo> devices() {
        Runtime rt = Runtime.getRuntime();
        String name = System.getProperty("os.arch") + " (" + Parallel.threads() + " threads)";
        return List.of(new DeviceInfo(Device.CPU, name, "cpu", rt.maxMemory(), rt.availableProcessors(),
                "Java " + Runtime.version().feature()));
    }

    @Override
    public long transfers() {
        return 0;
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @Override
    public Tensor copy(Tensor x) {
        return x.copy();
    }

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(t.data(), value);
    }

    @Override
    public Tensor upload(Tensor host) {
        return host;
    }

    @Override
    public Tensor download(Tensor x) {
        return x;
    }

    @Override
    public void axpy(Tensor y, float a, Tensor x) {
        float[] yd = y.data();
        float[] xd = x.data();
        for (int i = 0; i < yd.length; i++) {
            yd[i] += a * xd[i];
        }
    }

    // ---- activations ------------------------------------------------------------------------

    @Override
    public void reluForward(Tensor y, Tensor x) {
        ActivationKernels.reluForward(y.data(), x.data(), x.numel());
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor x) {
        ActivationKernels.reluBackward(dx.data(), dy.data(), x.data(), x.numel());
    }
}
