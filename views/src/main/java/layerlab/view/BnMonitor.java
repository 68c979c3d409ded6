package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.DisplayDataRenderable;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.nn.BatchNorm;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The running statistics of one BatchNorm over training steps, μ_avg ← α·μ_avg + (1−α)·μ_B and
 * σ²_avg likewise: call {@link #record()} after each step and re-render through a display id.
 *
 * <pre>
 * var mon = new BnMonitor(bn);
 * var id = display(mon);
 * for (...) { model.forward(x); ...; mon.record(); if (step % 10 == 0) updateDisplay(id, mon); }
 * </pre>
 */
public final class BnMonitor implements DisplayDataRenderable {
    /** Lines drawn per chart; more channels are left out (and said so). */
    static final int MAX_LINES = 8;

    private final BatchNorm bn;
    private final List<float[]> means = new ArrayList<>();     // per step: running μ_avg (C)
    private final List<float[]> variances = new ArrayList<>(); // per step: running σ²_avg (C)

    public BnMonitor(BatchNorm bn) {
        this.bn = bn;
    }

    /** Snapshots the layer's running statistics now (one point per channel on each curve). */
    public BnMonitor record() {
        means.add(TensorView.host(bn.runningMean()).toArray());
        variances.add(TensorView.host(bn.runningVar()).toArray());
        return this;
    }

    public int steps() {
        return means.size();
    }

    public DisplayData toDisplayData() {
        int c = bn.config().channels();
        int lines = Math.min(c, MAX_LINES);
        String head = bn + ": running statistics over " + steps() + " recorded steps";
        StringBuilder text = new StringBuilder(head);
        Caption caption = Caption.of().mono(head);
        if (steps() == 0) {
            String n = "Nothing recorded yet: call record() after each training step.";
            return Bundle.text(head + "\n" + n).html(Html.mono(head) + Html.note(n)).build();
        }
        float[] m = means.get(steps() - 1);
        float[] v = variances.get(steps() - 1);
        for (int ch = 0; ch < lines; ch++) {
            text.append(String.format("%nc=%d  μ_avg %s  σ²_avg %s", ch, Html.num(m[ch]), Html.num(v[ch])));
        }
        if (c > lines) {
            String n = "Left out: showing " + lines + " of " + c + " channels.";
            text.append('\n').append(n);
            caption.note(n);
        }
        BufferedImage charts = Charts.grid(List.of(Charts.image(chart("Running mean μ_avg", "μ_avg", means, lines)),
                Charts.image(chart("Running variance σ²_avg", "σ²_avg", variances, lines))), 2);
        return Bundle.text(text.toString()).png(caption.above(charts)).build();
    }

    private XYChart chart(String title, String yLabel, List<float[]> history, int lines) {
        XYChart c = Charts.xy(title, "step", yLabel, 460, 300);
        int n = history.size();
        double[] x = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<double[]> ys = new ArrayList<>();
        for (int ch = 0; ch < lines; ch++) {
            double[] y = new double[n];
            for (int s = 0; s < n; s++) {
                x[s] = s + 1;
                float f = history.get(s)[ch];
                y[s] = Float.isFinite(f) ? f : Double.NaN;
                if (Float.isFinite(f)) {
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                }
            }
            ys.add(y);
        }
        Charts.ticks(c, 1, Math.max(2, n), lo, hi);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (int ch = 0; ch < lines; ch++) {
            Color color = ch < Charts.SERIES.length ? Charts.SERIES[ch] : Color.getHSBColor(ch / (float) lines, 0.7f, 0.8f);
            Charts.line(c, "c=" + ch, x, ys.get(ch), color);
        }
        return c;
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return Set.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG);
    }

    @Override
    public void render(RenderContext ctx) {
        ViewRenderers.copy(toDisplayData(), ctx);
    }

    @Override
    public String toString() {
        return "BnMonitor(" + bn + ", steps=" + steps() + ")";
    }
}
