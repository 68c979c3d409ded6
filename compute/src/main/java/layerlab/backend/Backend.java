package layerlab.backend;

import java.util.List;
import java.util.Optional;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * The backend SPI: one method per kernel, forward above backward, outputs first, gradients
 * prefixed d (as in the CPU kernel classes). Every tensor argument lives on {@link #device()};
 * sizes come from the tensors' shapes, configuration from the int/float arguments.
 *
 * <p>The CPU backend is the reference: it calls the readable loops in
 * {@code layerlab.backend.cpu.*Kernels}. Other backends (OpenCL; a TornadoVM one would be one
 * more module) are found with {@link java.util.ServiceLoader} and must agree with it — the
 * parity tests compare them kernel by kernel.
 */
public interface Backend {
    Device device();

    /** Empty when the backend can run here; otherwise why not (a missing loader, no platform, …). */
    Optional<String> unavailableReason();

    /** The devices this backend drives (empty when unavailable). */
    List<DeviceInfo> devices();

    /** Host↔device copies so far (0 on the CPU): lets a test prove a network ran without round trips. */
    long transfers();

    // ---- memory -----------------------------------------------------------------------------

    /** A new zero tensor on this device. */
    Tensor zeros(int... shape);

    /** A deep copy on this device. */
    Tensor copy(Tensor x);

    /** Sets every element of {@code t} to {@code value}. */
    void fill(Tensor t, float value);

    /** Copies a CPU tensor onto this device. */
    Tensor upload(Tensor host);

    /** Copies a tensor of this device to a new CPU tensor. */
    Tensor download(Tensor x);

    // ---- elementwise helpers (optimizers, gradient accumulation) -----------------------------

    /** y += a·x (the gradient accumulation of parameters, SGD's update). */
    void axpy(Tensor y, float a, Tensor x);

    // ---- activations: y = f(x), dx = dy·f'(x) -----------------------------------------------

    void reluForward(Tensor y, Tensor x);

    void reluBackward(Tensor dx, Tensor dy, Tensor x);
}
