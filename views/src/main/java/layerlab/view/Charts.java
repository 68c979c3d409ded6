package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** The lab's XChart style (white, grid, readable fonts) and picture composition helpers. */
final class Charts {
    static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private Charts() {
    }

    /** An XY chart with title, axis labels, grid and legend in the lab's style. */
    static XYChart xy(String title, String xLabel, String yLabel, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setLegendBorderColor(new Color(0xbbbbbb));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, width < 400 ? 13 : 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setSeriesColors(SERIES);
        c.getStyler().setMarkerSize(0);
        return c;
    }

    /**
     * Tick labels without float noise (XChart otherwise prints 3.799999952316284): plain decimals
     * for ordinary magnitudes, scientific notation for tiny or huge ones.
     */
    static String tickPattern(double lo, double hi) {
        double m = Math.max(Math.abs(lo), Math.abs(hi));
        if (m != 0 && (m < 0.01 || m >= 1e5)) {
            return "0.##E0";
        }
        return m >= 100 ? "#,##0" : "#0.###";
    }

    /** Nice axis bounds (multiples of 1, 2 or 5 × 10^k) and tick label patterns for both axes. */
    static void ticks(XYChart c, double xLo, double xHi, double yLo, double yHi) {
        XYStyler s = c.getStyler();
        s.setXAxisDecimalPattern(tickPattern(xLo, xHi));
        s.setYAxisDecimalPattern(tickPattern(yLo, yHi));
        double[] x = nice(xLo, xHi);
        double[] y = nice(yLo, yHi);
        // NOTE: a 4% margin keeps flat lines off the frame, and avoids an XChart 3.8.8 tick bug:
        // an axis of exactly [0, 3] or [0, 4] gets fifteen crowded labels like 0.213, 0.427, …
        double padX = 0.02 * (x[1] - x[0]);
        s.setXAxisMin(x[0] - padX);
        s.setXAxisMax(x[1] + padX);
        double pad = 0.04 * (y[1] - y[0]);
        s.setYAxisMin(y[0] - pad);
        s.setYAxisMax(y[1] + pad);
    }

    /**
     * An x axis of the integers 0 … n−1 (channel numbers): ticks at whole numbers only, never at
     * 0.5 or 1.5, and a half-step margin so the first and last points sit off the frame.
     */
    static void integerX(XYChart c, int n) {
        XYStyler s = c.getStyler();
        // one channel alone sits in the middle of [−1, 1], whose outer ticks get blank labels
        double pad = n == 1 ? 1 : n <= 16 ? 0.5 : 0.02 * (n - 1);
        s.setXAxisMin(-pad);
        s.setXAxisMax(n - 1 + pad);
        if (n <= 16) {
            // NOTE: XChart picks a 1-2-5 step from its spacing hint (pixels between ticks) and would
            // put ticks at 0.5 and 1.5 for two channels; a hint a little over one channel's width
            // (two from 9 channels on) gives the step 1 (2). A formatter alone cannot hide the
            // others: XChart drops every label unless all labels are distinct.
            int plot = Math.max(100, c.getWidth() - 80);
            int perTick = n <= 8 ? 1 : 2;
            s.setXAxisTickMarkSpacingHint((int) (1.2 * plot * perTick / (n - 1 + 2 * pad)));
        }
        if (n == 1) {
            s.setxAxisTickLabelsFormattingFunction(v -> v == 0 ? "0" : v < 0 ? " " : "  ");
        }
    }

    /** [lo, hi] widened to multiples of a 1-2-5 step of about an eighth of the range. */
    static double[] nice(double lo, double hi) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
            return new double[] {0, 1};
        }
        if (hi <= lo) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - pad, hi + pad};
        }
        double raw = (hi - lo) / 8; // fine steps: the axis ends close to the data (−6…6 stays −6…6)
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
        return new double[] {Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step};
    }

    /** A line series without markers. */
    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries ser = c.addSeries(name, x, y);
        ser.setMarker(SeriesMarkers.NONE);
        ser.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        ser.setLineColor(color);
        return ser;
    }

    static BufferedImage image(XYChart c) {
        return BitmapEncoder.getBufferedImage(c);
    }

    /** Pictures laid out {@code cols} per row on white, top-left aligned. */
    static BufferedImage grid(List<BufferedImage> parts, int cols) {
        int cw = 0;
        int ch = 0;
        for (BufferedImage p : parts) {
            cw = Math.max(cw, p.getWidth());
            ch = Math.max(ch, p.getHeight());
        }
        int rows = (parts.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cw * Math.min(cols, parts.size()), ch * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < parts.size(); i++) {
            g.drawImage(parts.get(i), (i % cols) * cw, (i / cols) * ch, null);
        }
        g.dispose();
        return out;
    }

    /** A long rank-1 tensor: its values ({@code t}, on the CPU) against their index; {@code shown} is labelled. */
    static DisplayData values(Tensor shown, Tensor t, Stats s) {
        int n = t.numel();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Float.isFinite(t.data()[i]) ? t.data()[i] : Double.NaN;
        }
        XYChart c = xy("Tensor " + Shapes.str(t.shape()) + ": value by index", "index i", "x[i]", 720, 320);
        c.getStyler().setLegendVisible(false);
        XYSeries ser = line(c, "x[i]", x, y, SERIES[0]);
        ticks(c, 0, n, s.min(), s.max());
        if (n <= 64) {
            ser.setMarker(SeriesMarkers.CIRCLE);
            c.getStyler().setMarkerSize(5);
        }
        return Bundle.text(Stats.summary(shown, s)).png(Caption.summary(shown, s).above(image(c))).build();
    }
}
