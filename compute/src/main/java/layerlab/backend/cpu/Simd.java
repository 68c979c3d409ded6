package layerlab.backend.cpu;

/**
 * The switch between the Vector API fast paths ({@code layerlab.backend.cpu.vec}) and the scalar
 * reference loops ({@code *Kernels}): {@link CpuBackend} asks {@link #enabled()} before it asks a
 * fast path whether it accepts a shape. The reference loops know nothing of it.
 *
 * <p>On by default when the {@code jdk.incubator.vector} module is present (the JVM was started
 * with {@code --add-modules jdk.incubator.vector}); {@code -Dlayerlab.simd=false} or
 * {@link #setEnabled(boolean)} forces the scalar twins. Without the module the scalar loops run
 * and one notice says so.
 */
public final class Simd {
    private Simd() {}

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static volatile boolean enabled = initial();

    private static boolean initial() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("layerlab.simd", "true"));
        if (wanted && !AVAILABLE) {
            System.err.println("layerlab: the jdk.incubator.vector module is not present (start the JVM with"
                    + " --add-modules jdk.incubator.vector); using the scalar kernels");
        }
        return wanted && AVAILABLE;
    }

    /** Whether the Vector API module is present in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Whether the fast paths run. */
    public static boolean enabled() {
        return enabled;
    }

    /** Turns the fast paths on or off (off: the scalar twins run). On needs {@link #available()}. */
    public static void setEnabled(boolean on) {
        if (on && !AVAILABLE) {
            throw new IllegalStateException("Simd.setEnabled(true): expected the jdk.incubator.vector module"
                    + " (--add-modules jdk.incubator.vector), got a JVM without it");
        }
        enabled = on;
    }
}
