package layerlab.tensor;

import java.util.ServiceLoader;

/** The one {@link DeviceMemory.Registry} on the class path, found on first use. */
final class Memories {
    private static DeviceMemory.Registry registry; // guarded by Memories.class

    private Memories() {}

    static synchronized DeviceMemory.Registry registry() {
        if (registry == null) {
            registry = ServiceLoader.load(DeviceMemory.Registry.class, Memories.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Tensor: expected a device registry on the class path"
                            + " (META-INF/services/layerlab.tensor.DeviceMemory$Registry, from layerlab-compute's"
                            + " backends), got none"));
        }
        return registry;
    }

    /** The memory of a device that is not the CPU. */
    static DeviceMemory of(Device device) {
        return registry().of(device);
    }
}
