package layerlab.tensor;

/**
 * Where a tensor's storage lives. Layers run where their input lives.
 *
 * <p>{@link #CPU} is the reference and the default. {@link #OPENCL} is the JIT-compiled
 * backend (the GPU through the vendor's OpenCL, or the CPU through PoCL).
 */
public enum Device {
    CPU,
    OPENCL;

    /** The lower-case name used by the {@code %device} magic and in messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
