package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Tensor;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import java.util.function.Function;

/**
 * A histogram of a tensor's values with two counts named for what the values are ({@link Reading}):
 * the exact zeros (inactive ReLUs after a ReLU, dropped units after dropout, plain zeros when
 * nothing is known) and the values near the ends of the range (saturated σ or tanh outputs, where
 * the gradient vanishes, when the activation is known; a neutral band otherwise).
 */
final class HistogramView {
    static final int BINS = 40;

    private HistogramView() {
    }

    /** {@code reading} names the counts, from the values' statistics (one host copy for both). */
    static DisplayData histogram(Tensor x, Function<Stats, Reading> reading) {
        Tensor t = TensorView.host(x);
        Stats s = Stats.of(t);
        Reading r = reading.apply(s);
        float[] d = t.data();
        Reading.Band band = r.band();
        int inBand = 0;
        if (band != null) {
            for (float v : d) {
                if (Float.isFinite(v) && band.contains(v)) {
                    inBand++;
                }
            }
        }
        String zeros = pct(s.zeros(), s.finite());
        String banded = band == null ? "" : pct(inBand, s.finite());
        String title = "Histogram of " + (r.subject().isEmpty() ? "" : r.subject() + ": ") + s.numel() + " values";
        XYChart c = chart(d, s, title);
        if (band != null) {
            mark(c, band.low(), s);
            mark(c, band.high(), s);
        }
        String zeroLine = "exact zeros: " + s.zeros() + " of " + s.finite() + " = " + zeros
                + (r.zerosMeaning().isEmpty() ? " (share of zeros)" : " — " + r.zerosMeaning());
        String bandLine = band == null ? "" : band.name() + " (" + band.rule("x") + "): " + inBand + " of "
                + s.finite() + " = " + banded + (band.why().isEmpty() ? "" : " — " + band.why());
        Caption caption = Caption.summary(x, s).mono(zeroLine);
        String text = Stats.summary(x, s) + "\n" + zeroLine;
        if (band != null) {
            caption.mono(bandLine);
            text += "\n" + bandLine;
        }
        if (s.hasNonFinite()) {
            String n = (s.numel() - s.finite()) + " NaN/Inf values are not drawn.";
            caption.note(n);
            text += "\n" + n;
        }
        return Bundle.text(text).png(caption.above(Charts.image(c))).build();
    }

    private static XYChart chart(float[] d, Stats s, String title) {
        double lo = s.finite() > 0 ? s.min() : 0;
        double hi = s.finite() > 0 ? s.max() : 1;
        if (hi <= lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        double width = (hi - lo) / BINS;
        long[] counts = new long[BINS];
        for (float v : d) {
            if (Float.isFinite(v)) {
                counts[Math.min(BINS - 1, (int) ((v - lo) / width))]++;
            }
        }
        // bars as one filled outline: (e0,0) (e0,c0) (e1,c0) (e1,c1) … (eB,0)
        double[] x = new double[2 * BINS + 2];
        double[] y = new double[2 * BINS + 2];
        for (int b = 0; b < BINS; b++) {
            x[2 * b + 1] = lo + b * width;
            y[2 * b + 1] = counts[b];
            x[2 * b + 2] = lo + (b + 1) * width;
            y[2 * b + 2] = counts[b];
        }
        x[0] = lo;
        x[2 * BINS + 1] = hi;
        XYChart c = Charts.xy(title, "value", "count", 720, 360);
        c.getStyler().setLegendVisible(false);
        long most = 1;
        for (long k : counts) {
            most = Math.max(most, k);
        }
        Charts.ticks(c, lo, hi, 0, most * 1.05);
        c.getStyler().setYAxisDecimalPattern("#,##0");
        XYSeries ser = Charts.line(c, "count", x, y, Charts.SERIES[0]);
        ser.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        ser.setFillColor(new Color(0x1f, 0x77, 0xb4, 150));
        return c;
    }

    private static void mark(XYChart c, double v, Stats s) {
        if (v >= s.min() && v <= s.max()) {
            c.getStyler().setAnnotationLineColor(new Color(0xd62728));
            c.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
                    10f, new float[] {5f, 4f}, 0f));
            c.addAnnotation(new AnnotationLine(v, true, false));
        }
    }

    static String pct(long part, long whole) {
        return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
