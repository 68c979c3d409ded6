package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Tensor;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;

/**
 * A histogram of a tensor's values, annotated with the two numbers that tell a sick activation:
 * the fraction of exact zeros (dead or inactive ReLUs) and the fraction of saturated values (tanh
 * or sigmoid outputs pinned near their limits, where the gradient vanishes).
 */
final class HistogramView {
    static final int BINS = 40;

    /** Saturated means x ≤ low or x ≥ high; {@code null} when the values are unbounded (no saturation). */
    record Thresholds(double low, double high) {
        /**
         * Guess from the range: [0, 1] → sigmoid (0.01, 0.99); [−1, 1] → tanh (−0.99, 0.99); else
         * none. Values with exact zeros are not guessed: sigmoid never gives 0 and tanh only for an
         * input of exactly 0, while pixels, ReLU or dropout outputs in [0, 1] have many.
         */
        static Thresholds guess(Stats s) {
            if (s.zeros() > 0) {
                return null;
            }
            if (s.min() >= 0 && s.max() <= 1) {
                return new Thresholds(0.01, 0.99);
            }
            if (s.min() >= -1 && s.max() <= 1) {
                return new Thresholds(-0.99, 0.99);
            }
            return null;
        }
    }

    private HistogramView() {
    }

    static DisplayData histogram(Tensor x, Thresholds given) {
        Tensor t = TensorView.host(x);
        Stats s = Stats.of(t);
        Thresholds th = given != null ? given : Thresholds.guess(s);
        float[] d = t.data();
        int saturated = 0;
        if (th != null) {
            for (float v : d) {
                if (Float.isFinite(v) && (v <= th.low() || v >= th.high())) {
                    saturated++;
                }
            }
        }
        String zeros = pct(s.zeros(), s.finite());
        String sat = th == null ? "n/a (unbounded values)" : pct(saturated, s.finite());
        String title = "Histogram of " + s.numel() + " values — zeros " + zeros
                + (th == null ? "" : ", saturated " + sat)
                + (s.hasNonFinite() ? " — " + (s.numel() - s.finite()) + " NaN/Inf not drawn" : "");
        XYChart c = chart(d, s, title);
        if (th != null) {
            mark(c, th.low(), s);
            mark(c, th.high(), s);
        }
        String png = Bundle.base64Png(Charts.image(c));
        String satRule = th == null ? "" : " (x ≤ " + Html.num(th.low()) + " or x ≥ " + Html.num(th.high()) + ")";
        String text = Stats.summary(t, s) + "\nexact zeros: " + s.zeros() + " of " + s.finite() + " = " + zeros
                + " (dead/inactive ReLUs)\nsaturated" + satRule + ": " + sat;
        String html = TensorView.header(t, s) + Html.mono("exact zeros " + zeros + " · saturated" + satRule + " " + sat)
                + Bundle.imgTag(png, "histogram");
        return Bundle.text(text).html(html).png(png).build();
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
