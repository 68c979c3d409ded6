package layerlab.backend.opencl;

import java.util.List;
import java.util.Optional;
import layerlab.backend.Backend;
import layerlab.backend.DeviceInfo;
import layerlab.tensor.Device;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;
import org.jocl.CL;

/**
 * The OpenCL backend: every kernel is OpenCL C ({@code resources/layerlab/backend/opencl/*.cl},
 * one file per kernel family), specialized on shapes with {@code -D} defines and compiled by the
 * driver on first use, then cached per (family, defines, device). Tensors stay on the device
 * between layers; only {@code to(Device.CPU)} reads them back.
 *
 * <p>The platform is the first one (preferring a GPU device) whose name contains the system
 * property {@code layerlab.opencl.platform} or the environment variable
 * {@code LAYERLAB_OPENCL_PLATFORM} (e.g. "NVIDIA", "Portable"); any platform when neither is set.
 * Without OpenCL the backend is unavailable and {@link #unavailableReason()} says why.
 */
public final class OpenClBackend implements Backend {
    private ClRuntime runtime;   // guarded by this; null until first use or after release()
    private String reason;       // guarded by this; why OpenCL cannot run here, once known

    @Override
    public Device device() {
        return Device.OPENCL;
    }

    @Override
    public synchronized Optional<String> unavailableReason() {
        if (runtime != null && !runtime.released()) {
            return Optional.empty();
        }
        if (reason == null) {
            try {
                runtime = ClRuntime.open(platformFilter());
            } catch (LinkageError e) {
                reason = "no OpenCL library could be loaded (" + e + ")";
            } catch (ClException e) {
                reason = e.getMessage() + (e.status() == CL.CL_PLATFORM_NOT_FOUND_KHR
                        ? ": an OpenCL loader is installed but no driver is registered in /etc/OpenCL/vendors" : "");
            } catch (IllegalStateException e) {
                reason = e.getMessage();
            }
        }
        return Optional.ofNullable(reason);
    }

    /** The platform name filter: system property layerlab.opencl.platform, else $LAYERLAB_OPENCL_PLATFORM. */
    static String platformFilter() {
        String env = System.getenv("LAYERLAB_OPENCL_PLATFORM");
        return System.getProperty("layerlab.opencl.platform", env == null ? "" : env);
    }

    /** The open runtime; fails with the reason when OpenCL cannot run here. */
    synchronized ClRuntime rt() {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException("OpenCL is unavailable: " + why.get());
        }
        return runtime;
    }

    @Override
    public List<DeviceInfo> devices() {
        if (unavailableReason().isPresent()) {
            return List.of();
        }
        ClRuntime r = rt();
        return List.of(new DeviceInfo(Device.OPENCL, r.deviceName + " [" + r.platformName + "]", r.deviceType,
                r.globalMemory, r.computeUnits, r.deviceVersion));
    }

    @Override
    public long transfers() {
        return rt().transfers.get();
    }

    /**
     * Releases the OpenCL context: tensors still on the device become unusable (a clear error
     * names the device); the next use opens a fresh context.
     */
    public synchronized void release() {
        if (runtime != null) {
            runtime.release();
        }
    }

    /** Build time of every program compiled so far, "family defines: ms" (JitBench prints them). */
    public List<String> buildTimes() {
        return rt().builds().stream()
                .map(b -> String.format(java.util.Locale.ROOT, "%s %s: %.1f ms", b.key().family(), b.key().defines(), b.millis()))
                .toList();
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Tensor zeros(int... shape) {
        ClRuntime r = rt();
        ClBuffer b = r.alloc(Shapes.numel(shape));
        r.fill(b, 0f);
        return Tensor.onDevice(b, shape);
    }

    /** A new tensor whose values are not yet written (every kernel output here is fully written). */
    Tensor empty(int... shape) {
        return Tensor.onDevice(rt().alloc(Shapes.numel(shape)), shape);
    }

    @Override
    public Tensor copy(Tensor x) {
        Tensor y = empty(x.shape());
        rt().copy(buf(y), buf(x));
        return y;
    }

    @Override
    public void fill(Tensor t, float value) {
        rt().fill(buf(t), value);
    }

    @Override
    public Tensor upload(Tensor host) {
        Tensor y = empty(host.shape());
        rt().write(buf(y), host.data());
        return y;
    }

    @Override
    public Tensor download(Tensor x) {
        float[] out = new float[x.numel()];
        rt().read(buf(x), out);
        return Tensor.of(out, x.shape());
    }

    /** Waits for the queue to drain (benchmarks time kernels, not enqueues). */
    public void finish() {
        rt().finish();
    }

    @Override
    public void axpy(Tensor y, float a, Tensor x) {
        run1("elementwise", "axpy", y.numel(), buf(y), a, buf(x));
    }

    /** The counter-based uniforms of {@code Rng.uniform(seed, i)} computed on the device. */
    Tensor rngUniform(long seed, int... shape) {
        Tensor y = empty(shape);
        run1("elementwise", "rng_uniform_fill", y.numel(), buf(y), seed);
        return y;
    }

    // ---- activations ------------------------------------------------------------------------

    @Override
    public void reluForward(Tensor y, Tensor x) {
        run1("activation", "relu_forward", x.numel(), buf(y), buf(x));
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor x) {
        run1("activation", "relu_backward", x.numel(), buf(dx), buf(dy), buf(x));
    }

    // ---- plumbing ---------------------------------------------------------------------------

    /** One work item per element over n elements, compiled with -DN=n. */
    void run1(String family, String kernel, int n, Object... args) {
        ClRuntime r = rt();
        r.launch(r.kernel(family, "-DN=" + n, kernel), new long[] {n}, null, args);
    }

    /** The device buffer of a tensor, or a clear error if it lives elsewhere. */
    ClBuffer buf(Tensor t) {
        if (t.device() != Device.OPENCL) {
            throw new IllegalArgumentException("OpenCL backend: tensor " + Shapes.str(t.shape()) + " lives on "
                    + t.device().label() + "; move it with to(Device.OPENCL) first");
        }
        ClBuffer b = (ClBuffer) t.storage();
        if (b.owner != runtime) {
            b.owner.checkAlive();
        }
        return b;
    }
}
