/**
 * Where the layers' loops run. {@link layerlab.backend.Backend} is the SPI — one method per
 * kernel, forward above backward, with the arguments of the CPU kernel of the same name;
 * {@link layerlab.backend.Backends} is the facade: the device list ({@code available()}), the
 * default device ({@code select}/{@code current}), why a backend cannot run
 * ({@code unavailableReason}), and {@code Backends.of(x)}, the backend of the device a tensor
 * lives on — which is what every layer calls.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/layerlab.backend.Backend}): {@code cpu.CpuBackend}, the reference
 * over the readable {@code cpu.*Kernels} loops, and {@code opencl.OpenClBackend}, the same kernels
 * in OpenCL C compiled by the driver. A further backend (TornadoVM, say) is one more module
 * listed there.
 */
package layerlab.backend;
