package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * Lays {@link NetworkView}'s rows out: an HTML table with, per layer, its numbers on the left and
 * on the right the activations of sample 0, their gradients and the weights, as inline pictures
 * (each sent once, inside the HTML); the same numbers as a plain-text table.
 */
final class NetworkTable {
    private NetworkTable() {
    }

    static DisplayData render(List<NetworkView.Row> rows, String note, int label0) {
        Table t = Table.create("network").addColumns(StringColumn.create("layer"), StringColumn.create("output shape"),
                StringColumn.create("activations min / mean / max"), StringColumn.create("dL/d(output) max |g|"),
                StringColumn.create("weights"));
        StringBuilder html = new StringBuilder(Html.mono("The network at work: " + (rows.size() - 1)
                + " layers, one forward and one backward pass; sample 0 has label " + label0 + "."))
                .append(Html.note(note))
                .append("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\"><tbody>");
        boolean anyBad = false;
        for (NetworkView.Row r : rows) {
            Tensor y = TensorView.host(r.output());
            Stats s = Stats.of(y);
            Tensor g = r.gradient() == null ? null : TensorView.host(r.gradient());
            Stats gs = g == null ? null : Stats.of(g);
            anyBad |= s.hasNonFinite() || gs != null && gs.hasNonFinite();
            String range = Html.num(s.min()) + " / " + Html.num(s.mean()) + " / " + Html.num(s.max());
            String grad = gs == null ? "—" : Html.num(Math.max(Math.abs(gs.min()), Math.abs(gs.max())));
            String w = r.weight() == null ? "" : Weights.range(r.weight());
            t.stringColumn(0).append(r.name());
            t.stringColumn(1).append(Shapes.str(y.shape()));
            t.stringColumn(2).append(range);
            t.stringColumn(3).append(grad);
            t.stringColumn(4).append(w);
            html.append(row(r, y, s, g, gs, range, grad));
        }
        html.append("</tbody></table>");
        String warn = "Some activation or gradient is NaN or Inf — see the flagged rows.";
        String text = (anyBad ? "!!! WARNING: " + warn + " !!!\n" : "") + "The network at work (sample 0, label "
                + label0 + ")\n" + note + "\n" + Tables.text(t);
        return Bundle.text(text).html((anyBad ? Html.warning(warn) : "") + html).build();
    }

    private static String row(NetworkView.Row r, Tensor y, Stats s, Tensor g, Stats gs, String range, String grad) {
        // NOTE: Jupyter's CSS right-aligns table cells and stripes odd rows; each cell says left
        String td = "<td style=\"padding:6px 8px;border-bottom:1px solid #ccc;vertical-align:top;text-align:left";
        StringBuilder left = new StringBuilder("<div style=\"font-weight:bold\">" + Html.escape(r.name()) + "</div>")
                .append(mono(Shapes.str(y.shape())))
                .append(small("activations " + range));
        if (s.hasNonFinite()) {
            left.append(flag(s));
        }
        if (gs != null) {
            left.append(small("dL/d(output): max |g| " + grad));
            if (gs.hasNonFinite()) {
                left.append(flag(gs));
            }
        }
        StringBuilder right = new StringBuilder(label("activations (" + LayersView.caption(y) + ")"))
                .append(Bundle.imgTag(Bundle.base64Png(LayersView.strip(y, s)), "activations of " + r.name()));
        if (g != null) {
            Stats scale = gradientScale(g, gs);
            right.append(label("gradients dL/d(output), blue < 0 < red, scale ±" + Html.num(scale.max(), 3)
                    + " (99% of |g| ≠ 0 inside)"))
                    .append(Bundle.imgTag(Bundle.base64Png(LayersView.strip(g, scale)), "gradients of " + r.name()));
        } else if (!r.noGradient().isEmpty()) {
            right.append(label("gradients: " + r.noGradient()));
        }
        if (r.weight() != null) {
            Weights.Picture p = Weights.paint(r.weight());
            right.append(label("weights: " + Weights.describe(r.weight()) + ", blue < 0 < red, scale ±"
                    + Html.num(p.bound(), 3)))
                    .append(Bundle.imgTag(Bundle.base64Png(p.image()), "weights of " + r.name()));
            if (!p.note().isEmpty()) {
                right.append(Html.note(p.note()));
            }
        }
        return "<tr style=\"background:#fff\">" + td + ";width:230px\">" + left + "</td>" + td + "\">" + right + "</td></tr>";
    }

    /** The gradient's color scale: ±(99th percentile of |g| ≠ 0), 0 white ({@link Colormap#bound99}). */
    static Stats gradientScale(Tensor g, Stats s) {
        double m = Colormap.bound99(g.data());
        return new Stats(s.numel(), s.finite(), -m, m, s.mean(), s.std(), s.nan(), s.posInf(), s.negInf(), s.zeros());
    }

    private static String mono(String s) {
        return "<div style=\"font-family:monospace\">" + Html.escape(s) + "</div>";
    }

    private static String small(String s) {
        return "<div style=\"font-family:monospace;font-size:12px;color:#333\">" + Html.escape(s) + "</div>";
    }

    private static String label(String s) {
        return "<div style=\"font-size:12px;color:#555;margin:4px 0 2px\">" + Html.escape(s) + "</div>";
    }

    private static String flag(Stats s) {
        return "<div style=\"color:#b00020;font-weight:bold\">&#9888; " + Html.escape(s.nonFiniteMessage()) + "</div>";
    }
}
