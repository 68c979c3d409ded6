package layerlab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import layerlab.tensor.Shapes;

/**
 * A model's layers with their output shapes and parameter counts, for one input shape — the
 * table behind {@code model.summary(1, 1, 28, 28)} (Keras's {@code model.summary()},
 * torchinfo in PyTorch). Nothing is computed: shapes come from {@link Layer#outputShape}.
 *
 * <p>Counts follow the lecture: trainable parameters are updated by the optimizer; non-trainable
 * ones are state such as BatchNorm's running mean and variance. So a BatchNorm over M feature maps
 * counts 2M trainable (γ, β) and 2M non-trainable (μ_avg, σ²_avg) numbers: 4 per map, and L such
 * layers give N_BN = 4LM.
 *
 * <p>For a {@link Sequential} the rows are its children numbered from 0; the children of nested
 * {@link Sequential}, {@link Residual} and {@link Concat} layers follow their container's row
 * with dotted indices ("3.0", "3.1") and depth + 1. Totals count each top-level row once.
 */
public final class Summary {
    /**
     * One row: its dotted index, nesting depth (0 at top level), the layer's toString, the
     * output shape, and the parameters of the layer including everything nested in it.
     */
    public record Row(String index, int depth, String name, int[] outputShape, long trainable, long nonTrainable) {
        public long total() {
            return trainable + nonTrainable;
        }
    }

    private final String model;
    private final int[] inputShape;
    private final List<Row> rows;
    private final long trainable;
    private final long nonTrainable;

    private Summary(String model, int[] inputShape, List<Row> rows) {
        this.model = model;
        this.inputShape = inputShape;
        this.rows = Collections.unmodifiableList(rows);
        long t = 0;
        long n = 0;
        for (Row r : rows) {
            if (r.depth == 0) {
                t += r.trainable;
                n += r.nonTrainable;
            }
        }
        this.trainable = t;
        this.nonTrainable = n;
    }

    /** The summary of any layer; a {@link Sequential} is listed by its children. */
    public static Summary of(Layer layer, int... inputShape) {
        List<Row> rows = new ArrayList<>();
        if (layer instanceof Sequential s) {
            children(s.layers(), inputShape.clone(), "", 0, true, rows);
        } else {
            add(layer, inputShape.clone(), "0", 0, rows);
        }
        return new Summary(layer.toString(), inputShape.clone(), rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The shape the model returns (the last top-level row's). */
    public int[] outputShape() {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).depth == 0) {
                return rows.get(i).outputShape.clone();
            }
        }
        return inputShape.clone();
    }

    public long totalTrainable() {
        return trainable;
    }

    public long totalNonTrainable() {
        return nonTrainable;
    }

    public long total() {
        return trainable + nonTrainable;
    }

    // ---- walking the model ------------------------------------------------------------------

    /** Adds the row of one layer (and its nested rows); returns its output shape. */
    private static int[] add(Layer layer, int[] in, String index, int depth, List<Row> rows) {
        int at = rows.size();
        rows.add(null); // the container's row goes before its children's
        int[] out;
        if (layer instanceof Sequential s) {
            out = children(s.layers(), in, index + ".", depth + 1, true, rows);
        } else if (layer instanceof Residual r) {
            children(List.of(r.inner()), in, index + ".", depth + 1, false, rows);
            out = layer.outputShape(in); // checks F keeps the shape
        } else if (layer instanceof Concat c) {
            children(c.branches(), in, index + ".", depth + 1, false, rows);
            out = layer.outputShape(in);
        } else {
            out = layer.outputShape(in);
        }
        long t = 0;
        long n = 0;
        for (Parameter p : layer.parameters()) {
            if (p.trainable()) {
                t += p.numel();
            } else {
                n += p.numel();
            }
        }
        rows.set(at, new Row(index, depth, layer.toString(), out.clone(), t, n));
        return out;
    }

    /** Rows for children run in a chain (chained) or each on the same input (branches). */
    private static int[] children(List<Layer> layers, int[] in, String prefix, int depth, boolean chained, List<Row> rows) {
        int[] s = in;
        for (int i = 0; i < layers.size(); i++) {
            int[] out = add(layers.get(i), chained ? s : in, prefix + i, depth, rows);
            s = out;
        }
        return s;
    }

    // ---- the plain-text table -----------------------------------------------------------------

    /** A plain-text table with aligned columns and the totals. */
    @Override
    public String toString() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"#", "Layer", "Output shape", "Trainable", "Non-trainable"});
        for (Row r : rows) {
            cells.add(new String[] {r.index, "  ".repeat(r.depth) + r.name, Shapes.str(r.outputShape),
                    group(r.trainable), group(r.nonTrainable)});
        }
        cells.add(new String[] {"", "Total", "", group(trainable), group(nonTrainable)});
        int[] w = new int[5];
        for (String[] c : cells) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(model).append(", input ").append(Shapes.str(inputShape)).append('\n');
        String rule = "-".repeat(w[0] + w[1] + w[2] + w[3] + w[4] + 8) + "\n";
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            if (k == 1 || k == cells.size() - 1) {
                sb.append(rule);
            }
            sb.append(pad(c[0], w[0], false)).append("  ").append(pad(c[1], w[1], false)).append("  ")
                    .append(pad(c[2], w[2], false)).append("  ").append(pad(c[3], w[3], true)).append("  ")
                    .append(pad(c[4], w[4], true)).append('\n');
        }
        sb.append("Parameters: ").append(group(total())).append(" (").append(group(trainable))
                .append(" trainable, ").append(group(nonTrainable)).append(" non-trainable)\n");
        return sb.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    /** 1234567 → "1,234,567". */
    private static String group(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
