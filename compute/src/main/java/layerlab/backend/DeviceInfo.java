package layerlab.backend;

import java.util.Locale;
import layerlab.tensor.Device;

/**
 * One device a backend can run on, as the {@code %device} magic lists it.
 *
 * @param device        which backend drives it
 * @param name          the driver's name for it, e.g. "NVIDIA H100 80GB HBM3" or "pthread-skylake-avx512"
 * @param type          "cpu", "gpu" or "accelerator"
 * @param memoryBytes   global memory (for the CPU: the JVM's maximum heap)
 * @param computeUnits  streaming multiprocessors / cores
 * @param version       e.g. "OpenCL 3.0 CUDA" or "Java 17"
 */
public record DeviceInfo(Device device, String name, String type, long memoryBytes, int computeUnits, String version) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s (%s, %.1f GiB, %d compute units, %s)", device.label(), name, type,
                memoryBytes / (double) (1L << 30), computeUnits, version);
    }
}
