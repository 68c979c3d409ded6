package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Activation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Plots of f and f′ for activations, like the lecture's "Activation Functions" slide. */
final class ActivationView {
    private static final int POINTS = 601;
    private static final double[] PROBES = {-2, -1, -0.5, 0, 0.5, 1, 2};

    private ActivationView() {
    }

    static DisplayData plot(Activation f, double from, double to) {
        checkRange(from, to);
        XYChart c = chart(f, from, to, 600, 380);
        String text = f + " on [" + Html.num(from) + ", " + Html.num(to) + "]\n" + probeTable(List.of(f));
        return Bundle.text(text).png(Charts.image(c)).build();
    }

    static DisplayData plotAll(double from, double to, Activation... fs) {
        checkRange(from, to);
        if (fs.length == 0) {
            throw new IllegalArgumentException("plotAll: expected at least one activation, got none");
        }
        List<BufferedImage> parts = new ArrayList<>();
        for (Activation f : fs) {
            parts.add(Charts.image(chart(f, from, to, 310, 250)));
        }
        String text = "Activation functions on [" + Html.num(from) + ", " + Html.num(to) + "] (solid f, dashed f′)\n"
                + probeTable(List.of(fs));
        return Bundle.text(text).png(Charts.grid(parts, 3)).build();
    }

    private static void checkRange(double from, double to) {
        if (!(Double.isFinite(from) && Double.isFinite(to) && from < to)) {
            throw new IllegalArgumentException("plot: expected a finite range from < to, got [" + from + ", " + to + "]");
        }
    }

    /** f solid, f′ dashed, with axes through the labels x and y. */
    private static XYChart chart(Activation f, double from, double to, int w, int h) {
        double[] x = new double[POINTS];
        double[] y = new double[POINTS];
        double[] dy = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = from + (to - from) * i / (POINTS - 1);
            y[i] = finiteOrNaN(f.apply((float) x[i]));
            dy[i] = finiteOrNaN(f.derivative((float) x[i]));
        }
        XYChart c = Charts.xy(f.toString(), "x", "y", w, h);
        Charts.ticks(c, from, to, range(y, dy)[0], range(y, dy)[1]);
        XYSeries fs = Charts.line(c, "f(x)", x, y, Charts.SERIES[0]);
        fs.setLineStyle(new BasicStroke(2.5f));
        XYSeries ds = Charts.line(c, "f'(x)", x, dy, Charts.SERIES[1]);
        ds.setLineStyle(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f));
        return c;
    }

    private static double[] range(double[] a, double[] b) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] arr : new double[][] {a, b}) {
            for (double v : arr) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    private static double finiteOrNaN(float v) {
        return Float.isFinite(v) ? v : Double.NaN;
    }

    /** A few values of f and f′ as text (the fallback when no picture is shown). */
    private static String probeTable(List<Activation> fs) {
        StringBuilder b = new StringBuilder(String.format("%-22s", "x"));
        for (double p : PROBES) {
            b.append(String.format("%9s", Html.num(p)));
        }
        for (Activation f : fs) {
            b.append('\n').append(String.format("%-22s", cut(f.toString()) + " f"));
            for (double p : PROBES) {
                b.append(String.format("%9s", Html.num(round(f.apply((float) p)))));
            }
            b.append('\n').append(String.format("%-22s", cut(f.toString()) + " f'"));
            for (double p : PROBES) {
                b.append(String.format("%9s", Html.num(round(f.derivative((float) p)))));
            }
        }
        return b.toString();
    }

    private static String cut(String s) {
        return s.length() > 19 ? s.substring(0, 19) : s;
    }

    private static double round(float v) {
        return Float.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }
}
