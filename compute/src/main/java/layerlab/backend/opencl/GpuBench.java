package layerlab.backend.opencl;

import java.util.Arrays;
import java.util.Locale;
import layerlab.backend.Indices;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * Kernel times on the OpenCL device for the lecture's benchmark shapes (DESIGN.md §5): ReLU,
 * BatchNorm training (statistics + normalization + running update), MaxPool 2×2 and Conv2d 3×3
 * 64→64 (im2col + GEMM and direct) on 32×64×56×56, Linear 256×4096→4096. Outputs are allocated
 * once; each time is the median of the repetitions, each ended by clFinish. GB/s counts the
 * bytes an ideal kernel must move (inputs read once, outputs written once).
 *
 * <p>Run: {@code java -cp <classpath> layerlab.backend.opencl.GpuBench [repetitions]}.
 */
public final class GpuBench {
    private GpuBench() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        OpenClBackend cl = new OpenClBackend();
        cl.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("OpenCL is unavailable: " + r);
        });
        System.out.println("device: " + cl.devices().get(0));
        int n = 32, c = 64, h = 56, w = 56;
        long numel = (long) n * c * h * w;
        Tensor x = cl.upload(Tensor.randn(1, n, c, h, w));
        Tensor y = cl.empty(n, c, h, w);

        report("ReLU 32x64x56x56", time(reps, cl, () -> cl.reluForward(y, x)), 8.0 * numel, numel);

        Tensor mean = cl.zeros(c), var = cl.zeros(c), rstd = cl.zeros(c), rm = cl.zeros(c), rv = cl.zeros(c);
        Tensor gamma = cl.upload(Tensor.ones(c)), beta = cl.zeros(c);
        int s = h * w;
        report("BatchNorm train 32x64x56x56", time(reps, cl, () -> {
            cl.batchNormStats(mean, var, x, n, c, s);
            cl.runningUpdate(rm, rv, mean, var, c, 0.9f, 1f);
            cl.rstd(rstd, var, c, 1e-5f);
            cl.batchNormForward(y, x, mean, rstd, gamma, beta, n, c, s);
        }), 8.0 * numel, 8.0 * numel);

        Tensor py = cl.empty(n, c, h / 2, w / 2);
        Indices arg = cl.indices(py.numel());
        PoolWindows win = new PoolWindows(n * c, new int[] {1, h, w}, new int[] {1, h / 2, w / 2},
                new int[] {1, 2, 2}, new int[] {1, 2, 2}, new int[] {0, 0, 0});
        report("MaxPool 2x2 32x64x56x56", time(reps, cl, () -> cl.poolForward(py, arg, x, win, true, false)),
                4.0 * numel + 8.0 * py.numel(), numel);

        Tensor cw = cl.upload(Tensor.randn(2, c, c, 3, 3));
        Tensor cb = cl.zeros(c);
        double convFlops = 2.0 * n * c * s * c * 9;
        for (ClConv.Algorithm alg : ClConv.Algorithm.values()) {
            cl.convAlgorithm(alg);
            report("Conv2d 3x3 64->64 32x64x56x56 " + alg, time(Math.max(3, reps / 4), cl,
                    () -> cl.conv2dForward(y, x, cw, cb, n, c, h, w, c, 3, 1, 1, h, w)), 8.0 * numel, convFlops);
        }
        cl.convAlgorithm(ClConv.Algorithm.IM2COL_GEMM);

        int batch = 256, in = 4096, out = 4096;
        Tensor lx = cl.upload(Tensor.randn(3, batch, in));
        Tensor la = cl.upload(Tensor.randn(4, out, in));
        Tensor lb = cl.zeros(out);
        Tensor ly = cl.empty(batch, out);
        report("Linear 256x4096->4096", time(reps, cl, () -> cl.linearForward(ly, lx, la, lb, batch, in, out)),
                4.0 * ((long) batch * in + (long) out * in + (long) batch * out), 2.0 * batch * in * out);
        if (ly.device() != Device.OPENCL) {
            throw new IllegalStateException("benchmark output left the device");
        }
    }

    /** Median milliseconds over {@code reps} runs after two warm-ups (which also compile the kernels). */
    static double time(int reps, OpenClBackend cl, Runnable op) {
        op.run();
        op.run();
        cl.finish();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run();
            cl.finish();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    /** One line: name, ms, GB/s (bytes ÷ time), GFLOP/s (flops ÷ time; for elementwise ops: elements). */
    static void report(String name, double ms, double bytes, double flops) {
        System.out.printf(Locale.ROOT, "%-40s %9.3f ms %9.1f GB/s %10.1f GFLOP/s%n", name, ms, bytes / ms / 1e6,
                flops / ms / 1e6);
    }
}
