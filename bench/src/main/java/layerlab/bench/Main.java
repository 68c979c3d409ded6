package layerlab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import layerlab.backend.cpu.Parallel;

import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * layerlab against libtorch, side by side in this JVM, on the same inputs and thread counts.
 *
 * <p>Usage: {@code bench/run.sh [--threads 1,2] [--only REGEX] [--quick] [--out FILE]}.
 * Both sides allocate every output (layerlab's layers return new tensors, libtorch's ops new
 * arrays) and free it after the timed call (layerlab: {@link Tensor#release()}, libtorch: closing
 * the arrays), so both allocators can hand the memory out again: allocation is counted alike. Each row: median over alternating timed calls
 * after warm-up (see {@link Measure}); the machine's limits are measured by this run too.
 */
public final class Main {
    private Main() {}

    record Row(String op, String pass, int threads, double layerlab, double libtorch, double limit) {}

    static final String USAGE = "usage: bench/run.sh [--threads 1,2] [--only REGEX] [--quick] [--out FILE] [--help]";

    public static void main(String[] args) throws Exception {
        int[] threads = {1, 2};
        Pattern only = Pattern.compile(".*");
        Measure.Plan plan = Measure.Plan.standard();
        Path out = Path.of("bench/target/bench-result.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--only" -> only = Pattern.compile(args[++i], Pattern.CASE_INSENSITIVE);
                case "--quick" -> plan = Measure.Plan.quick();
                case "--out" -> out = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (" + USAGE + ")");
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(Machine.describe()).append("\n");
        md.append("Run: ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16))
                .append(", ").append(Libtorch.version()).append(", layerlab.simd=")
                .append(System.getProperty("layerlab.simd", "default")).append(", load average ").append(load()).append("\n\n");
        System.out.print(md);
        List<Row> rows = new ArrayList<>();
        try (Libtorch lt = new Libtorch()) {
            List<Ops.Op> ops = Ops.all(lt);
            for (int t : threads) {
                Parallel.setThreads(t);
                Libtorch.setThreads(t);
                Machine.Limits lim = Machine.measure(t);
                String limits = String.format(Locale.ROOT, "Limits at %d thread%s: copy %.1f GB/s (read + write), FP32 peak %.1f GFLOP/s%n",
                        t, t == 1 ? "" : "s", lim.copyGBs(), lim.peakGflops());
                System.out.print(limits);
                md.append(limits);
                for (Ops.Op op : ops) {
                    if (!only.matcher(op.name()).find()) {
                        continue;
                    }
                    for (boolean backward : new boolean[] {false, true}) {
                        Tensor[] xs = inputs(op);
                        Tensor[] dys = backward ? gradients(op) : null;
                        double[] ms;
                        try (NDManager row = lt.base().newSubManager()) { // this row's libtorch copies
                            ms = Measure.sideBySide(layerlabCase(op, backward, xs, dys), torchCase(lt, row, op, backward, xs, dys), plan);
                        }
                        Ops.Cost cost = backward ? op.forwardBackward() : op.forward();
                        Row r = new Row(op.name(), backward ? "fwd+bwd" : "fwd", t, ms[0], ms[1], limitMs(cost, lim));
                        rows.add(r);
                        System.out.println(format(r));
                    }
                }
                if (only.matcher("training step").find()) {
                    TrainStep step = new TrainStep(lt);
                    double[] ms = Measure.sideBySide(Measure.Case.of(step::layerlab), step.torchCase(), plan);
                    Row r = new Row("Training step (template CNN, 64x1x28x28)", "step", t, ms[0], ms[1],
                            limitMs(new Ops.Cost(0, step.flops()), lim));
                    rows.add(r);
                    System.out.println(format(r));
                }
            }
        }
        md.append("\n").append(header()).append("\n");
        for (Row r : rows) {
            md.append(format(r)).append("\n");
        }
        md.append("\nratio = libtorch ms / layerlab ms (> 1: layerlab is faster); limit = bytes ÷ copy bandwidth or"
                + " FLOPs ÷ FP32 peak (the larger), % of limit = limit ms / measured ms.\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println("\n" + header());
        rows.forEach(r -> System.out.println(format(r)));
        System.out.println("\nwritten to " + out);
    }

    static double limitMs(Ops.Cost c, Machine.Limits lim) {
        return Math.max(c.bytes() / (lim.copyGBs() * 1e9), c.flops() / (lim.peakGflops() * 1e9)) * 1e3;
    }

    static String header() {
        return "| op | pass | threads | layerlab ms | libtorch ms | ratio | limit ms | layerlab % of limit | libtorch % of limit |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|";
    }

    static String format(Row r) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.0f%% | %.0f%% |",
                r.op(), r.pass(), r.threads(), r.layerlab(), r.libtorch(), r.libtorch() / r.layerlab(), r.limit(),
                100 * r.limit() / r.layerlab(), 100 * r.limit() / r.libtorch());
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Inputs and output gradients rotate among this many copies with different values
     * (3 × 25.7 MB each: more than the 32 MB L3), so a call does not find its input in the cache
     * from the call before; both sides rotate alike.
     */
    static final int COPIES = 3;

    /** Copy k of an op's input: the op's own x for k = 0, then the same shape with other values. */
    static Tensor[] inputs(Ops.Op op) {
        Tensor[] xs = new Tensor[COPIES];
        xs[0] = op.x();
        for (int k = 1; k < COPIES; k++) {
            xs[k] = op.x().numel() * 4L >= 1 << 20 ? Tensor.randn(Seed.of(100 + k), op.x().shape()) : op.x();
        }
        return xs;
    }

    static Tensor[] gradients(Ops.Op op) {
        int[] shape = op.layer().outputShape(op.x().shape());
        Tensor[] dys = new Tensor[COPIES];
        for (int k = 0; k < COPIES; k++) {
            dys[k] = Tensor.randn(Seed.of(2 + 7L * k), shape);
        }
        return dys;
    }

    /**
     * The layer API as a user calls it; the outputs are released after the timed part
     * ({@link Tensor#release()}), as libtorch's are freed, so the next call's {@code empty}
     * reuses them as libtorch's allocator reuses its memory.
     */
    private static Measure.Case layerlabCase(Ops.Op op, boolean backward, Tensor[] xs, Tensor[] dys) {
        op.layer().train(op.training());
        Tensor[] out = new Tensor[2];
        int[] call = new int[1];
        return new Measure.Case(() -> call[0] = (call[0] + 1) % COPIES, () -> {
            out[0] = op.layer().forward(xs[call[0]]);
            out[1] = backward ? op.layer().backward(dys[call[0]]) : null;
        }, () -> {
            for (Tensor t : out) {
                if (t != null && t != xs[call[0]]) {
                    t.release();
                }
            }
        });
    }

    /** Fresh handles each call (same storage): outputs and gradients are freed after the timed part. */
    private static Measure.Case torchCase(Libtorch lt, NDManager row, Ops.Op op, boolean backward, Tensor[] xs, Tensor[] dys) {
        List<PtNDArray> shared = new ArrayList<>(); // parameters and constants: one copy for all inputs
        for (Tensor p : op.params()) {
            shared.add(Libtorch.of(p, row));
        }
        for (Tensor c : op.consts()) {
            shared.add(Libtorch.of(c, row));
        }
        List<List<PtNDArray>> copies = new ArrayList<>();
        List<PtNDArray> tdys = new ArrayList<>();
        for (int k = 0; k < COPIES; k++) {
            List<PtNDArray> arrays = new ArrayList<>();
            arrays.add(k == 0 || xs[k] != xs[0] ? Libtorch.of(xs[k], row) : copies.get(0).get(0));
            arrays.addAll(shared);
            copies.add(arrays);
            tdys.add(backward ? Libtorch.of(dys[k], row) : null);
        }
        int grads = 1 + op.params().length;
        NDManager[] scope = new NDManager[1];
        PtNDArray[] in = new PtNDArray[copies.get(0).size()];
        int[] call = new int[1];
        return new Measure.Case(() -> {
            call[0] = (call[0] + 1) % COPIES;
            JniUtils.setGradMode(backward);
            scope[0] = row.newSubManager();
            for (int i = 0; i < in.length; i++) {
                in[i] = Libtorch.view(copies.get(call[0]).get(i), scope[0], backward && i < grads);
            }
        }, () -> {
            PtNDArray y = op.torch().apply(in);
            if (backward) {
                JniUtils.backward(y, tdys.get(call[0]), false, false);
            }
        }, () -> {
            scope[0].close();
            JniUtils.setGradMode(false);
        });
    }

    static Shape shape(int... dims) {
        return new Shape(Arrays.stream(dims).mapToLong(v -> v).toArray());
    }
}
