package layerlab.backend.opencl;

/**
 * An OpenCL C program that the driver refused to compile: names the kernel family, its
 * defines and the device, and carries the driver's build log.
 */
public final class KernelBuildException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String buildLog;

    KernelBuildException(String family, String defines, String device, String status, String buildLog) {
        super("OpenCL kernel '" + family + "' (" + defines + ") failed to build on " + device + ": " + status
                + "\n--- build log ---\n" + buildLog.strip());
        this.buildLog = buildLog;
    }

    /** The driver's compiler output, as it printed it. */
    public String buildLog() {
        return buildLog;
    }
}
