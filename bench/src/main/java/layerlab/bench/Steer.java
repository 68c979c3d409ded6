package layerlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import layerlab.backend.cpu.Parallel;
import layerlab.backend.cpu.Simd;
import layerlab.nn.Layer;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * A steering tool for kernel work on a busy machine: one layerlab op at 1 thread, timed by the
 * thread's CPU time (what other processes do to the wall clock mostly does not show), SIMD on
 * and off. Not the benchmark: {@link Main} is. Usage: Steer REGEX [reps].
 */
public final class Steer {
    private Steer() {}

    public static void main(String[] args) throws Exception {
        Parallel.setThreads(1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        if (args[0].equals("train")) {
            trainLayers(mx, reps);
            return;
        }
        try (Libtorch lt = new Libtorch()) {
            for (Ops.Op op : Ops.all(lt)) {
                if (!op.name().toLowerCase(Locale.ROOT).matches(".*(" + args[0].toLowerCase(Locale.ROOT) + ").*")) {
                    continue;
                }
                op.layer().train(op.training());
                Tensor dy = Tensor.randn(Seed.of(2), op.layer().outputShape(op.x().shape()));
                for (boolean simd : new boolean[] {true, false}) {
                    if (simd && !Simd.available()) {
                        continue;
                    }
                    Simd.setEnabled(simd);
                    double[] f = new double[reps];
                    double[] b = new double[reps];
                    Layer l = op.layer();
                    for (int r = -2; r < reps; r++) {
                        long t0 = mx.getCurrentThreadCpuTime();
                        Tensor y = l.forward(op.x());
                        long t1 = mx.getCurrentThreadCpuTime();
                        Tensor dx = l.backward(dy);
                        long t2 = mx.getCurrentThreadCpuTime();
                        y.release(); // as the benchmark does: the next call reuses the arrays
                        if (dx != op.x()) {
                            dx.release();
                        }
                        if (r >= 0) {
                            f[r] = (t1 - t0) / 1e6;
                            b[r] = (t2 - t1) / 1e6;
                        }
                    }
                    Arrays.sort(f);
                    Arrays.sort(b);
                    double gf = op.forward().flops() > 0 ? op.forward().flops() / f[reps / 2] / 1e6 : 0;
                    System.out.printf(Locale.ROOT, "%-28s simd=%-5s fwd %8.2f ms  bwd %8.2f ms  (min %.2f / %.2f)%s%n", op.name(), simd,
                            f[reps / 2], b[reps / 2], f[0], b[0], gf > 0 ? String.format(Locale.ROOT, "  fwd %.0f GFLOP/s", gf) : "");
                }
            }
        }
    }

    /** CPU time of each layer of the benchmark's template network, forward and backward. */
    private static void trainLayers(ThreadMXBean mx, int reps) {
        layerlab.nn.Sequential net = layerlab.nn.Template.input(1, 28, 28).convRelu(2, 32, 64).fcRelu(128).classes(10).seed(100).logits();
        Tensor x = Tensor.randn(Seed.of(11), 64, 1, 28, 28);
        int layers = net.layers().size();
        double[][] f = new double[layers][reps];
        double[][] b = new double[layers][reps];
        for (int r = -3; r < reps; r++) {
            Tensor[] outs = new Tensor[layers];
            Tensor h = x;
            for (int i = 0; i < layers; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                h = net.layers().get(i).forward(h);
                if (r >= 0) {
                    f[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
                }
                outs[i] = h;
            }
            Tensor g = Tensor.randn(Seed.of(3), h.shape());
            for (int i = layers - 1; i >= 0; i--) {
                long t0 = mx.getCurrentThreadCpuTime();
                g = net.layers().get(i).backward(g);
                if (r >= 0) {
                    b[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
                }
            }
        }
        for (int i = 0; i < layers; i++) {
            Arrays.sort(f[i]);
            Arrays.sort(b[i]);
            System.out.printf(Locale.ROOT, "%-45s fwd %7.2f ms  bwd %7.2f ms%n", net.layers().get(i), f[i][reps / 2], b[i][reps / 2]);
        }
    }
}
