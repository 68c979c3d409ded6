package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics a LayerNorm, InstanceNorm or GroupNorm computed in its last forward — one μ and
 * σ² per sample and group, shaped (N, G) — with the cube diagram of the axes they reduce over.
 */
final class NormView {
    static final int MAX_ROWS = 64;

    private NormView() {
    }

    /**
     * @param groupWord what one column of (N, G) is: "group", "channel" or "sample"
     * @param channels  C for the diagram (≤ 0 when unknown)
     */
    static DisplayData normStats(String layer, NormDiagram.Kind kind, Tensor mean, Tensor var, String groupWord,
                                 int channels, int groups) {
        String svg = NormDiagram.svg(kind, channels, groups);
        String head = layer + " — " + kind.title + ": " + kind.rule;
        if (mean == null || var == null) {
            String n = "No statistics yet: call forward(x) first.";
            return Bundle.text(head + "\n" + n).html(Html.mono(head) + Html.note(n) + svg).build();
        }
        Tensor m = TensorView.host(mean);
        Tensor v = TensorView.host(var);
        int n = m.size(0);
        int g = m.numel() / n;
        Table t = table(m, v, n, g, groupWord);
        List<String> notes = new ArrayList<>();
        if (n * g > MAX_ROWS) {
            notes.add("Table shows " + MAX_ROWS + " of " + n * g + " (sample, " + groupWord + ") rows.");
        }
        Stats ms = Stats.of(m);
        Stats vs = Stats.of(v);
        String overview = String.format("%d samples × %d %s%s: μ in [%s, %s], σ² in [%s, %s]", n, g, groupWord,
                g == 1 ? "" : "s", Html.num(ms.min()), Html.num(ms.max()), Html.num(vs.min()), Html.num(vs.max()));
        StringBuilder text = new StringBuilder(head + "\n" + overview + "\n" + Tables.text(t));
        StringBuilder html = new StringBuilder(Html.mono(head)).append(svg).append(Html.mono(overview));
        if (ms.hasNonFinite() || vs.hasNonFinite()) {
            String bad = "mean: " + (ms.hasNonFinite() ? ms.nonFiniteMessage() : "finite") + "; variance: "
                    + (vs.hasNonFinite() ? vs.nonFiniteMessage() : "finite");
            text.insert(0, "!!! WARNING: " + bad + " !!!\n");
            html.insert(0, Html.warning(bad));
        }
        for (String note : notes) {
            text.append('\n').append(note);
            html.append(Html.note(note));
        }
        html.append(Tables.html(t, "Statistics of the last forward"));
        return Bundle.text(text.toString()).html(html.toString()).build(); // the diagram inline, once
    }

    private static Table table(Tensor m, Tensor v, int n, int g, String groupWord) {
        int rows = Math.min(n * g, MAX_ROWS);
        int[] sample = new int[rows];
        int[] group = new int[rows];
        double[] mu = new double[rows];
        double[] var = new double[rows];
        double[] std = new double[rows];
        for (int r = 0; r < rows; r++) {
            sample[r] = r / g;
            group[r] = r % g;
            mu[r] = m.data()[r];
            var[r] = v.data()[r];
            std[r] = Math.sqrt(var[r]);
        }
        Table t = Table.create("stats").addColumns(IntColumn.create("sample n", sample));
        if (g > 1) {
            t.addColumns(IntColumn.create(groupWord, group));
        }
        return t.addColumns(DoubleColumn.create("mean μ", mu), DoubleColumn.create("variance σ²", var),
                DoubleColumn.create("std σ", std));
    }
}
