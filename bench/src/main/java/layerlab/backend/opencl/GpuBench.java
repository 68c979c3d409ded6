package layerlab.backend.opencl;

import java.util.Arrays;
import java.util.Locale;
import layerlab.backend.Backend;
import layerlab.backend.ConvShape;
import layerlab.backend.Indices;
import layerlab.backend.Pointwise;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.CpuBackend;
import layerlab.backend.cpu.Parallel;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * Kernel times on the OpenCL device for the lecture's benchmark shapes (DESIGN.md §5): ReLU,
 * BatchNorm training (statistics + running update + normalization), MaxPool 2×2 and Conv2d 3×3
 * 64→64 (im2col + GEMM and the direct twin) on 32×64×56×56, Linear 256×4096→4096 — each beside
 * the CPU reference loops on the same machine. Outputs are allocated once; a time is the median
 * of the repetitions, each ended by clFinish. GB/s counts the bytes an ideal kernel moves (inputs
 * read once, outputs written once); GFLOP/s counts 2 per multiply-add (elements for the others).
 *
 * <p>Run: {@code java -cp <classpath> layerlab.backend.opencl.GpuBench [repetitions] [cpu-repetitions]}
 * (cpu-repetitions 0 skips the CPU column; scripts/gpu-check.sh runs it). It lives in the bench
 * module under the backend's package name, for the slow twin's switch it times (convAlgorithm).
 */
public final class GpuBench {
    private GpuBench() {}

    /** One benchmark: the same SPI calls on a backend whose inputs were placed on its device. */
    @FunctionalInterface
    private interface Op {
        Runnable prepare(Backend b, java.util.function.UnaryOperator<Tensor> place);
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int cpuReps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // NOTE: the shared backend, the one Tensor.to and zerosLike use: a second OpenClBackend would
        // be a second context, whose buffers are invalid here (PoCL tolerates it, NVIDIA does not).
        OpenClBackend cl = (OpenClBackend) layerlab.backend.Backends.of(layerlab.tensor.Device.OPENCL);
        CpuBackend cpu = new CpuBackend();
        System.out.println(cl.devices().get(0));
        System.out.println(cpu.devices().get(0) + " — the CPU column, " + Parallel.threads() + " threads");
        System.out.printf(Locale.ROOT, "%-40s %11s %10s %12s %12s %8s%n", "op", "opencl ms", "GB/s", "GFLOP/s",
                "cpu ms", "speed-up");
        int n = 32, c = 64, h = 56, w = 56, s = h * w;
        long numel = (long) n * c * s;
        Tensor x = Tensor.randn(Seed.of(1), n, c, h, w);

        run("ReLU 32x64x56x56", 8.0 * numel, numel, reps, cpuReps, cl, cpu, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike();
            return () -> b.activationForward(Pointwise.RELU, y, xx, 0f);
        });
        run("BatchNorm train 32x64x56x56", 8.0 * numel, 8.0 * numel, reps, cpuReps, cl, cpu, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike();
            Tensor mean = b.zeros(c), var = b.zeros(c), rstd = b.zeros(c), rm = b.zeros(c), rv = b.zeros(c);
            Tensor gamma = on.apply(Tensor.ones(c)), beta = b.zeros(c);
            return () -> {
                b.batchNormStats(mean, var, xx, n, c, s);
                b.runningUpdate(rm, rv, mean, var, c, 0.9f, 1f);
                b.rstd(rstd, var, c, 1e-5f);
                b.batchNormForward(y, xx, mean, rstd, gamma, beta, n, c, s);
            };
        });
        PoolWindows win = PoolWindows.of("MaxPool 2x2", PoolMode.MAX, new int[] {n, c, h, w}, 2, 2, 0, false);
        run("MaxPool 2x2 32x64x56x56", 4.0 * numel + 2.0 * numel, numel, reps, cpuReps, cl, cpu, (b, on) -> {
            Tensor xx = on.apply(x), y = b.zeros(n, c, h / 2, w / 2);
            Indices arg = b.indices(y.numel());
            return () -> b.poolForward(y, arg, xx, win);
        });
        Tensor cw = Tensor.randn(Seed.of(2), c, c, 3, 3);
        for (ClConv.Algorithm alg : ClConv.Algorithm.values()) {
            cl.convAlgorithm(alg);
            run("Conv2d 3x3 64->64 32x64x56x56 " + alg, 8.0 * numel, 2.0 * numel * c * 9, Math.max(3, reps / 4),
                    alg == ClConv.Algorithm.IM2COL_GEMM ? Math.min(cpuReps, 1) : 0, cl, cpu, (b, on) -> {
                        Tensor xx = on.apply(x), y = xx.zerosLike(), ww = on.apply(cw), bias = b.zeros(c);
                        ConvShape cs = ConvShape.of(new int[] {n, c, h, w}, c, 3, 1, 1);
                        return () -> b.conv2dForward(y, xx, ww, bias, cs);
                    });
        }
        cl.convAlgorithm(ClConv.Algorithm.IM2COL_GEMM);
        int batch = 256, in = 4096, out = 4096;
        Tensor lx = Tensor.randn(Seed.of(3), batch, in);
        Tensor la = Tensor.randn(Seed.of(4), out, in);
        run("Linear 256x4096->4096", 4.0 * ((long) batch * in + (long) out * in + (long) batch * out),
                2.0 * batch * in * out, reps, Math.min(cpuReps, 1), cl, cpu, (b, on) -> {
                    Tensor xx = on.apply(lx), a = on.apply(la), bias = b.zeros(out), y = b.zeros(batch, out);
                    return () -> b.linearForward(y, xx, a, bias, batch, in, out);
                });
    }

    private static void run(String name, double bytes, double flops, int reps, int cpuReps, OpenClBackend cl,
                            CpuBackend cpu, Op op) {
        double ms = time(reps, op.prepare(cl, cl::upload), cl::finish);
        double cpuMs = cpuReps > 0 ? time(cpuReps, op.prepare(cpu, Tensor::copy), () -> { }) : Double.NaN;
        System.out.printf(Locale.ROOT, "%-40s %11.3f %10.1f %12.1f %12.2f %8s%n", name, ms, bytes / ms / 1e6,
                flops / ms / 1e6, cpuMs, Double.isNaN(cpuMs) ? "-" : String.format(Locale.ROOT, "%.1fx", cpuMs / ms));
    }

    /** Median milliseconds over {@code reps} runs after two warm-ups (which also compile the kernels). */
    private static double time(int reps, Runnable op, Runnable finish) {
        op.run();
        op.run();
        finish.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run();
            finish.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
