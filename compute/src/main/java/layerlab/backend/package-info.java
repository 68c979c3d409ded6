/**
 * Where the layers' loops run. {@link layerlab.backend.Backend} is the SPI — one method per
 * kernel, forward above backward, with the arguments of the CPU reference loop of the same name,
 * shapes and modes as records and enums ({@link layerlab.backend.PoolWindows},
 * {@link layerlab.backend.ConvShape}, {@link layerlab.backend.Pointwise}).
 * {@link layerlab.backend.Backends} is the facade: the device list ({@code available()}), the
 * default device ({@code select}/{@code current}), why a backend cannot run
 * ({@code unavailableReason}), and {@code Backends.of(x)}, the backend of the device a tensor
 * lives on — which is what every layer calls.
 *
 * <p>The backends: {@code cpu.CpuBackend} (the reference loops {@code cpu.*Kernels}, or their
 * Vector API twins {@code cpu.vec.Vec*}) and {@code opencl.OpenClBackend} (the same kernels in
 * OpenCL C, {@code opencl.Cl*} launching {@code resources/layerlab/backend/opencl/*.cl}), found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/layerlab.backend.Backend}). A further
 * backend (TornadoVM, say) is one more module listed there. Which file computes what, family by
 * family, and where the float64 twins come from: {@code README.md} in this directory.
 */
package layerlab.backend;
