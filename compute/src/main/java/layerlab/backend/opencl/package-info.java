/**
 * The OpenCL backend on JOCL: the only package that touches {@code org.jocl}
 * (BackendArchitectureTest). One {@code .cl} file per kernel family under
 * {@code resources/layerlab/backend/opencl/} (activation, elementwise, gemm, conv, pool, dropout,
 * norm, softmax, optim; {@code common.cl} carries the port of {@code layerlab.tensor.Rng}),
 * specialized on shapes with {@code -D} defines and compiled on first use; programs are cached per
 * (family, defines, device). Tensors stay on the device between layers; the transfer counter
 * ({@code Backend.transfers()}) proves it.
 *
 * <p>Platform: the first whose name contains {@code -Dlayerlab.opencl.platform=…} (or
 * {@code $LAYERLAB_OPENCL_PLATFORM}), preferring a GPU. Tools:
 * <ul>
 *   <li>{@code mvn -q -B -pl compute compile exec:java} — {@link layerlab.backend.opencl.JitBench},
 *       the compile cost per kernel family (cold, new context, cache hit);</li>
 *   <li>{@code java -cp <classpath> layerlab.backend.opencl.GpuBench} — kernel times, GB/s, GFLOP/s;</li>
 *   <li>{@code java -cp <classpath> layerlab.backend.opencl.ClInfo [platform]} — a small clinfo;</li>
 *   <li>{@code scripts/gpu-check.sh prepare}, then {@code scripts/gpu-check.sh} on an NVIDIA machine.</li>
 * </ul>
 */
package layerlab.backend.opencl;
