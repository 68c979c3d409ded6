package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
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

    /** A CPU tensor's twin on the device. */
    static Tensor dev(Tensor host) {
        return host.to(Device.OPENCL);
    }

    static Tensor host(Tensor t) {
        return t.to(Device.CPU);
    }
}
