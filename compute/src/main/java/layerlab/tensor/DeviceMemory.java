package layerlab.tensor;

import java.util.Optional;

/**
 * What a {@link Tensor} needs from the backend of a device that is not the CPU: memory there.
 * Every backend implements it ({@code layerlab.backend.Backend} extends it); a tensor finds the
 * one of its device through the {@link Registry}, so this package knows no backend by name.
 */
public interface DeviceMemory {
    Device device();

    /** Empty when the device can be used here; otherwise why not (no loader, no platform, …). */
    Optional<String> unavailableReason();

    /** A new zero tensor on this device. */
    Tensor zeros(int... shape);

    /** A deep copy of a tensor of this device, on this device. */
    Tensor copy(Tensor x);

    /** A CPU tensor's values on this device (a new tensor). */
    Tensor upload(Tensor host);

    /** A tensor of this device read back into a new CPU tensor. */
    Tensor download(Tensor x);

    /**
     * Where the memories come from: one implementation on the class path, found with
     * {@link java.util.ServiceLoader} ({@code META-INF/services/layerlab.tensor.DeviceMemory$Registry};
     * the lab's is {@code layerlab.backend.Backends.Registry}, over the backends it loads).
     */
    interface Registry {
        /** The memory of a device; fails with the reason when it cannot be used here. */
        DeviceMemory of(Device device);

        /** {@code device} if it can be used here, else the CPU (with one notice per session, saying why). */
        Device usable(Device device);
    }
}
