package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.function.UnaryOperator;
import layerlab.backend.Indices;
import layerlab.oracle.Compare;
import layerlab.backend.Backend;
import layerlab.backend.Backends;
import layerlab.backend.cpu.CpuBackend;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

/**
 * What every OpenCL test starts with. No OpenCL here is a FAILURE naming the reason — unless
 * {@code -Dlayerlab.opencl.optional=true} (which CI never sets) turns it into a reported skip.
 */
final class ClTests {
    static final CpuBackend CPU = new CpuBackend();

    private ClTests() {}

    static OpenClBackend backend() {
        Optional<String> why = Backends.unavailableReason(Device.OPENCL);
        if (why.isPresent()) {
            String msg = "OpenCL is unavailable: " + why.get();
            if (Boolean.getBoolean("layerlab.opencl.optional")) {
                Assumptions.abort(msg + " (skipped: layerlab.opencl.optional=true)");
            }
            fail(msg + " (set -Dlayerlab.opencl.optional=true to skip instead of failing)");
        }
        Backend b = Backends.of(Device.OPENCL);
        return (OpenClBackend) b;
    }

    /** One computation, written once against the SPI: {@code place} puts an input on the backend's device. */
    @FunctionalInterface
    interface Run {
        Tensor[] on(Backend b, UnaryOperator<Tensor> place);
    }

    /**
     * Runs the computation on the CPU reference and on OpenCL and compares every output
     * (printing the worst difference, see {@link Compare}).
     */
    static void parity(String what, double bound, Run run) {
        OpenClBackend cl = backend();
        Tensor[] cpu = run.on(CPU, Tensor::copy);
        Tensor[] dev = run.on(cl, t -> t.to(Device.OPENCL));
        for (int i = 0; i < cpu.length; i++) {
            Compare.assertClose(what + " [" + i + "] opencl vs cpu", cpu[i], host(dev[i]), bound);
        }
    }

    /** Indices as a float tensor (exact below 2^24), to compare them like values. */
    static Tensor values(Indices idx) {
        int[] a = idx.toArray();
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return Tensor.of(f, a.length);
    }

    /** A CPU tensor's twin on the device. */
    static Tensor dev(Tensor host) {
        return host.to(Device.OPENCL);
    }

    static Tensor host(Tensor t) {
        return t.to(Device.CPU);
    }
}
