package layerlab.backend;

import layerlab.tensor.Device;
import layerlab.tensor.DeviceStorage;

/**
 * Integer indices that a kernel writes or reads — max-pool's argmax, Maxout's winning piece,
 * cross entropy's labels — on the host or on a device, like a tensor's values.
 */
public final class Indices {
    private final int[] host;              // on the CPU; null on a device
    private final DeviceStorage storage;   // on a device; null on the CPU

    private Indices(int[] host, DeviceStorage storage) {
        this.host = host;
        this.storage = storage;
    }

    /** Wraps a host array (not copied). */
    public static Indices of(int[] values) {
        return new Indices(values, null);
    }

    /** Wraps a backend's device buffer of ints. */
    public static Indices onDevice(DeviceStorage storage) {
        return new Indices(null, storage);
    }

    public Device device() {
        return storage == null ? Device.CPU : storage.device();
    }

    public int length() {
        return storage == null ? host.length : storage.length();
    }

    /** The host array (not copied); fails for indices on a device. */
    public int[] array() {
        if (host == null) {
            throw new IllegalStateException("Indices.array(): these " + length() + " indices live on "
                    + device().label() + "; use toArray() to read them back");
        }
        return host;
    }

    /** The device handle (for backends); fails for host indices. */
    public DeviceStorage storage() {
        if (storage == null) {
            throw new IllegalStateException("Indices.storage(): these indices live on cpu");
        }
        storage.checkAlive();
        return storage;
    }

    /** A host copy (read back from the device if they live there). */
    public int[] toArray() {
        return host != null ? host.clone() : Backends.of(device()).read(this);
    }
}
