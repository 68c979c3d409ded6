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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import layerlab.backend.cpu.Parallel;

import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * layerlab against libtorch, side by side in this JVM, on the same inputs and thread counts.
 *
 * <p>Usage: {@code bench/run.sh [--sweep] [--threads 1,2] [--only REGEX] [--quick] [--out FILE]}; {@code --sweep}
 * runs {@link Ops#sweep} (other shapes, each row's answer checked against libtorch first, exit
 * status 1 if a check fails) instead of the standard table.
 * Both sides allocate every output (layerlab's layers return new tensors, libtorch's ops new
 * arrays) and free it after the timed call (layerlab: {@link Tensor#release()}, libtorch: closing
 * the arrays), so both allocators can hand the memory out again: allocation is counted alike. Each row: median over alternating timed calls
 * after warm-up (see {@link Measure}); the machine's limits are measured by this run too.
 */
public final class Main {
    private Main() {}

    /** One row of the table; {@code check} is null where the answer was not checked (the standard table). */
    record Row(String op, String pass, int threads, double layerlab, double libtorch, double limit, Check.Result check) {
        double ratio() {
            return libtorch / layerlab;
        }
    }

    static final String USAGE = "usage: bench/run.sh [--sweep] [--threads 1,2] [--only REGEX] [--quick] [--out FILE] [--help]";

    public static void main(String[] args) throws Exception {
        int[] threads = {1, 2};
        Pattern only = Pattern.compile(".*");
        Measure.Plan plan = Measure.Plan.standard();
        boolean sweep = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--only" -> only = Pattern.compile(args[++i], Pattern.CASE_INSENSITIVE);
                case "--quick" -> plan = Measure.Plan.quick();
                case "--sweep" -> sweep = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (" + USAGE + ")");
            }
        }
        if (out == null) {
            out = Path.of(sweep ? "bench/target/sweep-result.md" : "bench/target/bench-result.md");
        }
        long started = System.nanoTime();
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(Machine.describe()).append("\n");
        md.append("Run: ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16))
                .append(", ").append(Libtorch.version()).append(", layerlab.simd=")
                .append(System.getProperty("layerlab.simd", "default")).append(", load average ").append(load()).append("\n\n");
        System.out.print(md);
        List<Row> rows = new ArrayList<>();
        try (Libtorch lt = new Libtorch()) {
            List<Ops.Op> ops = sweep ? Ops.sweep(lt) : Ops.all(lt);
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
                        Row r = measure(lt, op, backward, lim, plan, sweep);
                        rows.add(r);
                        System.out.println(format(r));
                    }
                }
                if (!sweep && only.matcher("training step").find()) {
                    TrainStep step = new TrainStep(lt);
                    double[] ms = Measure.sideBySide(Measure.Case.of(step::layerlab), step.torchCase(), plan);
                    Row r = new Row("Training step (template CNN, 64x1x28x28)", "step", t, ms[0], ms[1],
                            limitMs(new Ops.Cost(0, step.flops()), lim), null);
                    rows.add(r);
                    System.out.println(format(r));
                }
            }
        }
        md.append("\n").append(header(sweep)).append("\n");
        for (Row r : rows) {
            md.append(format(r)).append("\n");
        }
        md.append("\nratio = libtorch ms / layerlab ms (> 1: layerlab is faster); limit = bytes ÷ copy bandwidth or"
                + " FLOPs ÷ FP32 peak (the larger), % of limit = limit ms / measured ms.\n");
        if (sweep) {
            md.append("check = max|layerlab − libtorch| / max|libtorch| over y, dx and the parameter gradients, before timing"
                    + " (bound 1e-4 for conv and linear, 1e-5 for the rest).\n");
        }
        String summary = summary(rows, (System.nanoTime() - started) / 1e9);
        md.append("\n").append(summary);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println("\n" + header(sweep));
        rows.forEach(r -> System.out.println(format(r)));
        System.out.println("\n" + summary);
        System.out.println("written to " + out);
        if (rows.stream().anyMatch(r -> r.check() != null && !r.check().passed())) {
            System.exit(1);
        }
    }

    /**
     * One row: the op's inputs (and output gradients) in {@link #COPIES} copies, then — in the
     * sweep — the answer checked on copy 0, then both sides timed at the thread count already set.
     */
    static Row measure(Libtorch lt, Ops.Op op, boolean backward, Machine.Limits lim, Measure.Plan plan, boolean check)
            throws Exception {
        Tensor[] xs = inputs(op);
        Tensor[] dys = backward ? gradients(op) : null;
        Check.Result result = null;
        double[] ms;
        try (NDManager row = lt.base().newSubManager()) { // this row's libtorch copies
            if (check) {
                result = Check.run(op, backward, xs[0], backward ? dys[0] : null, row);
            }
            ms = Measure.sideBySide(layerlabCase(op, backward, xs, dys), torchCase(lt, row, op, backward, xs, dys), plan);
        }
        Ops.Cost cost = backward ? op.forwardBackward() : op.forward();
        return new Row(op.name(), backward ? "fwd+bwd" : "fwd", lim.threads(), ms[0], ms[1], limitMs(cost, lim), result);
    }

    /**
     * The run in a few lines: per thread count and pass the geometric mean of the ratios and how
     * many rows are below 1.0; then those rows, slowest first; and the checks that failed.
     */
    static String summary(List<Row> rows, double seconds) {
        StringBuilder s = new StringBuilder();
        long failed = rows.stream().filter(r -> r.check() != null && !r.check().passed()).count();
        s.append(String.format(Locale.ROOT, "Summary: %d rows in %.0f s, %d below 1.0, geometric mean of the ratios %.2f",
                rows.size(), seconds, rows.stream().filter(r -> r.ratio() < 1).count(), geomean(rows)));
        s.append(rows.stream().anyMatch(r -> r.check() != null) ? ", " + failed + " check" + (failed == 1 ? "" : "s") + " failed\n\n" : "\n\n");
        s.append("| threads | pass | rows | geometric mean of ratios | below 1.0 |\n|---:|---|---:|---:|---:|\n");
        Map<String, List<Row>> groups = rows.stream().collect(Collectors.groupingBy(r -> r.threads() + "\t" + r.pass(),
                TreeMap::new, Collectors.toList()));
        groups.forEach((key, g) -> s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %d |%n",
                key.split("\t")[0], key.split("\t")[1], g.size(), geomean(g), g.stream().filter(r -> r.ratio() < 1).count())));
        List<Row> slower = rows.stream().filter(r -> r.ratio() < 1).sorted(Comparator.comparingDouble(Row::ratio)).toList();
        if (!slower.isEmpty()) {
            s.append("\nBelow 1.0 (layerlab slower), by ratio:\n");
            slower.forEach(r -> s.append(String.format(Locale.ROOT, "- %.2f  %s, %s, %d thread%s%n",
                    r.ratio(), r.op(), r.pass(), r.threads(), r.threads() == 1 ? "" : "s")));
        }
        if (failed > 0) {
            s.append("\nFAIL:\n");
            rows.stream().filter(r -> r.check() != null && !r.check().passed()).forEach(r -> s.append(String.format(Locale.ROOT,
                    "- %s, %s, %d thread%s: %s (bound %.0e)%n", r.op(), r.pass(), r.threads(), r.threads() == 1 ? "" : "s",
                    r.check().cell(), r.check().bound())));
        }
        return s.toString();
    }

    private static double geomean(List<Row> rows) {
        return Math.exp(rows.stream().mapToDouble(r -> Math.log(r.ratio())).average().orElse(Double.NaN));
    }

    static double limitMs(Ops.Cost c, Machine.Limits lim) {
        return Math.max(c.bytes() / (lim.copyGBs() * 1e9), c.flops() / (lim.peakGflops() * 1e9)) * 1e3;
    }

    static String header(boolean checked) {
        return "| op | pass | threads | layerlab ms | libtorch ms | ratio | limit ms | layerlab % of limit | libtorch % of limit |"
                + (checked ? " check |" : "") + "\n|---|---|---:|---:|---:|---:|---:|---:|---:|" + (checked ? "---:|" : "");
    }

    static String format(Row r) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.2f | %s | %.0f%% | %.0f%% |%s",
                r.op(), r.pass(), r.threads(), ms(r.layerlab()), ms(r.libtorch()), r.ratio(), ms(r.limit()),
                100 * r.limit() / r.layerlab(), 100 * r.limit() / r.libtorch(), r.check() == null ? "" : " " + r.check().cell() + " |");
    }

    /** Two decimals from 1 ms up, three significant digits below (the sweep's small rows take microseconds). */
    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 1 ? "%.2f" : "%.3g", v);
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
