package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.BatchNorm;
import layerlab.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNorm's four numbers per feature map (lecture §9): the last training batch's μ_B, σ²_B next
 * to the running μ_avg, σ²_avg that testing uses, and the trained γ, β.
 */
final class BnView {
    static final int MAX_ROWS = 64;

    private BnView() {
    }

    static DisplayData bnStats(BatchNorm bn) {
        int c = bn.config().channels();
        Tensor bm = bn.batchMean();
        Tensor bv = bn.batchVar();
        Table t = table(bn, Math.min(c, MAX_ROWS));
        List<String> notes = new ArrayList<>();
        if (bm == null) {
            notes.add("No training batch yet: batch statistics appear after a forward pass in training mode.");
        }
        if (c > MAX_ROWS) {
            notes.add("Table shows " + MAX_ROWS + " of " + c + " channels; the charts show all.");
        }
        notes.add("Testing uses the running μ_avg, σ²_avg; training normalizes with the batch's μ_B, σ²_B ("
                + bn.config().convention() + " convention, α = " + bn.config().alpha() + ").");
        String png = Bundle.base64Png(charts(bn)); // inline in the HTML only: the view has a table
        StringBuilder text = new StringBuilder(bn + (bn.training() ? " [training]" : " [eval]") + "\n" + Tables.text(t));
        StringBuilder html = new StringBuilder(Html.mono(bn + (bn.training() ? " [training]" : " [eval]")));
        String bad = nonFinite(bn);
        if (!bad.isEmpty()) {
            text.insert(0, "!!! WARNING: " + bad + " !!!\n");
            html.insert(0, Html.warning(bad));
        }
        for (String n : notes) {
            text.append('\n').append(n);
            html.append(Html.note(n));
        }
        html.append(Bundle.imgTag(png, "BatchNorm statistics")).append(Tables.html(t, "Per channel"))
                .append(NormDiagram.svg(NormDiagram.Kind.BATCH, 0, 0));
        return Bundle.text(text.toString()).html(html.toString()).build();
    }

    private static Table table(BatchNorm bn, int rows) {
        Table t = Table.create("BatchNorm");
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        t.addColumns(IntColumn.create("channel", idx));
        if (bn.batchMean() != null) {
            t.addColumns(col("batch μ_B", bn.batchMean(), rows), col("batch σ²_B", bn.batchVar(), rows));
        }
        t.addColumns(col("running μ_avg", bn.runningMean(), rows), col("running σ²_avg", bn.runningVar(), rows),
                col("γ", bn.gamma(), rows), col("β", bn.beta(), rows));
        return t;
    }

    private static DoubleColumn col(String name, Tensor v, int rows) {
        float[] values = TensorView.host(v).data();
        double[] d = new double[rows];
        for (int i = 0; i < rows; i++) {
            d[i] = values[i];
        }
        return DoubleColumn.create(name, d);
    }

    /** "running σ²_avg: 1 NaN" for every statistic holding NaN/Inf, or "". */
    private static String nonFinite(BatchNorm bn) {
        List<String> bad = new ArrayList<>();
        check(bad, "batch μ_B", bn.batchMean());
        check(bad, "batch σ²_B", bn.batchVar());
        check(bad, "running μ_avg", bn.runningMean());
        check(bad, "running σ²_avg", bn.runningVar());
        check(bad, "γ", bn.gamma());
        check(bad, "β", bn.beta());
        return String.join("; ", bad);
    }

    private static void check(List<String> bad, String name, Tensor t) {
        if (t != null) {
            Stats s = Stats.of(TensorView.host(t));
            if (s.hasNonFinite()) {
                bad.add(name + ": " + s.nonFiniteMessage());
            }
        }
    }

    /** Three small charts per channel: means, variances, γ and β. */
    private static BufferedImage charts(BatchNorm bn) {
        List<BufferedImage> parts = new ArrayList<>();
        parts.add(Charts.image(pair("Mean per channel", "μ", bn.batchMean(), "batch μ_B", bn.runningMean(),
                "running μ_avg")));
        parts.add(Charts.image(pair("Variance per channel", "σ²", bn.batchVar(), "batch σ²_B", bn.runningVar(),
                "running σ²_avg")));
        parts.add(Charts.image(pair("Scale γ and shift β", "value", bn.gamma(), "γ", bn.beta(), "β")));
        return Charts.grid(parts, 3);
    }

    /** Two per-channel series (the first may be null); markers so single channels are visible. */
    static XYChart pair(String title, String yLabel, Tensor a, String aName, Tensor b, String bName) {
        XYChart c = Charts.xy(title, "channel", yLabel, 310, 270);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        int n = b.numel();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Tensor t : new Tensor[] {a, b}) {
            if (t != null) {
                Stats s = Stats.of(TensorView.host(t));
                lo = Math.min(lo, s.min());
                hi = Math.max(hi, s.max());
            }
        }
        Charts.ticks(c, 0, Math.max(1, n - 1), lo, hi);
        Charts.integerX(c, n);
        if (a != null) {
            series(c, aName, x, a, Charts.SERIES[0], false);
        }
        series(c, bName, x, b, Charts.SERIES[1], a != null);
        return c;
    }

    private static void series(XYChart c, String name, double[] x, Tensor v, Color color, boolean dashed) {
        float[] values = TensorView.host(v).data();
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            float f = values[i];
            y[i] = Float.isFinite(f) ? f : Double.NaN;
        }
        XYSeries s = Charts.line(c, name, x, y, color);
        s.setMarker(x.length <= 32 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(color);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        }
        c.getStyler().setMarkerSize(6);
    }
}
