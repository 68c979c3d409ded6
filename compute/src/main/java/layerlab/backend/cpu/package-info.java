/**
 * The CPU backend. The readable reference loops are the {@code *Kernels} classes, one per kernel
 * family ({@code PoolKernels}, {@code ActivationKernels}, …): forward above backward, plain
 * loops over flat float arrays, multi-threaded with {@link layerlab.backend.cpu.Parallel}.
 * {@link layerlab.backend.cpu.CpuBackend} runs them, or the Vector API twin of a family in
 * {@code vec/} ({@code VecPool}, …) when {@link layerlab.backend.cpu.Simd} is on and that twin
 * accepts the shape. {@link layerlab.backend.cpu.Sources} shows a loop's source in a notebook.
 *
 * <p><b>The float64 twins.</b> {@code PoolKernels64}, {@code ActivationKernels64}, … are not in
 * this directory: the build writes them to
 * {@code compute/target/generated-sources/f64/layerlab/backend/cpu/} by copying each
 * {@code *Kernels.java} here with {@code float} renamed {@code double}, {@code Float.}
 * {@code Double.}, float literals' {@code f} dropped and {@code XKernels} renamed
 * {@code XKernels64} (compute/pom.xml, the {@code float64-twins} execution). The gradient checks
 * run those twins, so the backward read here is the backward checked in double precision.
 * Hence the rule for these files: primitives, {@code Math}, other {@code *Kernels} and int-only
 * records and enums ({@code PoolWindows}, {@code ConvShape}, {@code Pointwise}) only. The
 * family index — layer, interface method, reference loop, fast path, OpenCL class, {@code .cl}
 * file, tests — is {@code layerlab/backend/README.md}.
 */
package layerlab.backend.cpu;
