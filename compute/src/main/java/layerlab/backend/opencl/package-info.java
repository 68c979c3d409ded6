/**
 * The OpenCL backend on JOCL: the only package that touches {@code org.jocl}
 * (BackendArchitectureTest). One {@code .cl} file per kernel family under
 * {@code resources/layerlab/backend/opencl/} (activation, elementwise, linear, conv, pool, dropout,
 * norm, softmax, optim; {@code common.cl} carries the port of {@code layerlab.tensor.Rng}), each
 * launched by the class of the same stem ({@code ClPool} → {@code pool.cl}), specialized on shapes
 * with {@code -D} defines and compiled on first use; programs are cached per (family, defines,
 * device). Tensors stay on the device between layers; the transfer counter
 * ({@code Backend.transfers()}) proves it.
 *
 * <p>Platform: the first whose name contains {@code -Dlayerlab.opencl.platform=…} (or
 * {@code $LAYERLAB_OPENCL_PLATFORM}), preferring a GPU. The tools live in the bench module, under
 * this package's name: {@code JitBench} (the compile cost per kernel family:
 * {@code mvn -q -B -pl bench -am compile exec:java}), {@code GpuBench} (kernel times, GB/s,
 * GFLOP/s) and {@code ClInfo} (a small clinfo), all three run by {@code scripts/gpu-check.sh}.
 */
package layerlab.backend.opencl;
