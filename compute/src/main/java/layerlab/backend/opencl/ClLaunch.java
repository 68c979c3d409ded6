package layerlab.backend.opencl;

import layerlab.backend.Indices;
import layerlab.tensor.Device;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/** What every kernel family needs to launch: defines, buffers of tensors and indices, NDRanges. */
final class ClLaunch {
    private final OpenClBackend backend;

    ClLaunch(OpenClBackend backend) {
        this.backend = backend;
    }

    ClRuntime rt() {
        return backend.rt();
    }

    /** "-DA=1 -DB=2" from name, value pairs: the shape a program is specialized on. */
    static String defs(Object... nameValue) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameValue.length; i += 2) {
            Object v = nameValue[i + 1];
            if (v instanceof Boolean b) {
                v = b ? 1 : 0;
            }
            sb.append(i == 0 ? "" : " ").append("-D").append(nameValue[i]).append('=').append(v);
        }
        return sb.toString();
    }

    /** The work-group size of the reduction kernels: a power of two ≤ 256 the device allows. */
    int wg() {
        int w = 256;
        while (w > rt().maxWorkGroup) {
            w >>= 1;
        }
        return w;
    }

    /** One work item per index in [0, n). */
    void run1(String family, String defines, String kernel, long n, Object... args) {
        ClRuntime r = rt();
        r.launch(r.kernel(family, defines, kernel), new long[] {Math.max(1, n)}, null, args);
    }

    /** {@code groups} work-groups of {@link #wg()} items each (defines must carry -DWG=wg()). */
    void runGroups(String family, String defines, String kernel, int groups, Object... args) {
        ClRuntime r = rt();
        int w = wg();
        r.launch(r.kernel(family, defines, kernel), new long[] {(long) groups * w}, new long[] {w}, args);
    }

    /** The device buffer of a tensor, or a clear error if it lives elsewhere. */
    ClBuffer buf(Tensor t) {
        if (t.device() != Device.OPENCL) {
            throw new IllegalArgumentException("OpenCL backend: tensor " + Shapes.str(t.shape()) + " lives on "
                    + t.device().label() + "; move it with to(Device.OPENCL) first");
        }
        return (ClBuffer) t.storage();
    }

    /** An optional tensor's buffer, or {@code other}'s as a placeholder argument the kernel never reads. */
    ClBuffer bufOr(Tensor t, Tensor other) {
        return buf(t == null ? other : t);
    }

    ClBuffer buf(Indices idx) {
        if (idx.device() != Device.OPENCL) {
            throw new IllegalArgumentException("OpenCL backend: " + idx.length() + " indices live on "
                    + idx.device().label() + "; they must live on opencl");
        }
        return (ClBuffer) idx.storage();
    }
}
