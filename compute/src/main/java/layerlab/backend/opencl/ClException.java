package layerlab.backend.opencl;

import org.jocl.CL;

/** An OpenCL call that returned an error status: names the call and the status (CL_OUT_OF_RESOURCES, …). */
final class ClException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ClException(String what, int status) {
        super("OpenCL: " + what + " failed with " + CL.stringFor_errorCode(status) + " (" + status + ")");
        this.status = status;
    }

    int status() {
        return status;
    }

    /** Throws unless {@code status} is CL_SUCCESS. */
    static void check(int status, String what) {
        if (status != CL.CL_SUCCESS) {
            throw new ClException(what, status);
        }
    }
}
