package layerlab.tensor;

/**
 * The storage of a tensor that lives on a device (an OpenCL buffer), not in a Java array.
 *
 * <p>Backends implement it; layers never look inside. A device tensor keeps its values on the
 * device until it is moved back with {@code to(Device.CPU)}, so a network runs layer after
 * layer without copying through the host.
 */
public interface DeviceStorage {
    /** The device that holds the values. */
    Device device();

    /** Number of float values held. */
    int length();

    /**
     * Throws {@link IllegalStateException} naming the device when its context is gone (released
     * or reset): such a tensor's values are lost and it cannot be used any more.
     */
    void checkAlive();
}
