package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.DisplayDataRenderable;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.optim.Activity;
import org.knowm.xchart.XYChart;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Training progress: a bar with step rate and ETA, and loss/accuracy curves — one bundle that the
 * notebook re-renders in place through a display id, instead of printing a line per step.
 *
 * <pre>
 * var p = new Progress(steps);
 * var id = display(p);
 * for (...) { ...; p.step(loss, accuracy); if (p.shouldRefresh()) updateDisplay(id, p); }
 * updateDisplay(id, p);
 * </pre>
 */
public final class Progress implements DisplayDataRenderable {
    /** Refresh at most this often (a display update costs a PNG encode and a message). */
    static final long REFRESH_NANOS = 500_000_000L;

    private final int total;
    private final LongSupplier clock;
    private final long start;
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> accuracies = new ArrayList<>(); // NaN where none was given
    private long lastRefresh = Long.MIN_VALUE;
    /** Tells the kernel's interrupt message how far the loop got (cleared at the last step). */
    private Activity activity;

    /** A progress display for {@code totalSteps} steps. */
    public Progress(int totalSteps) {
        this(totalSteps, System::nanoTime);
    }

    Progress(int totalSteps, LongSupplier nanoClock) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("Progress: expected totalSteps >= 1, got " + totalSteps);
        }
        this.total = totalSteps;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.activity = Activity.start("training", null, totalSteps);
    }

    /**
     * Names what the loop trains ({@code "net"}), so that an interrupt says "`net` is partly
     * trained"; returns this.
     */
    public Progress training(String variable) {
        activity.close();
        activity = Activity.start("training", variable, total);
        activity.step(steps());
        return this;
    }

    /** Records one finished step and its loss. */
    public Progress step(double loss) {
        return step(loss, Double.NaN);
    }

    /** Records one finished step, its loss and its accuracy in [0, 1]. */
    public Progress step(double loss, double accuracy) {
        losses.add(loss);
        accuracies.add(accuracy);
        activity.step(losses.size());
        return this;
    }

    public int steps() {
        return losses.size();
    }

    /** True when the display is worth refreshing now: at most every 0.5 s, and at the last step. */
    public boolean shouldRefresh() {
        long now = clock.getAsLong();
        if (steps() >= total || lastRefresh == Long.MIN_VALUE || now - lastRefresh >= REFRESH_NANOS) {
            lastRefresh = now;
            return true;
        }
        return false;
    }

    /** Steps per second since construction. */
    double rate() {
        double secs = (clock.getAsLong() - start) / 1e9;
        return secs > 0 ? steps() / secs : 0;
    }

    /** "step 120/500 (24%) | 35.2 steps/s | ETA 0:11 | loss 0.5120 | acc 81.2%". */
    String status() {
        int done = steps();
        double rate = rate();
        String eta = done >= total ? "done" : rate > 0 ? "ETA " + clock((total - done) / rate) : "ETA ?";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d/%d (%d%%) | %.1f steps/s | %s",
                done, total, 100L * done / total, rate, eta));
        if (done > 0) {
            b.append(String.format(Locale.ROOT, " | loss %.4f", losses.get(done - 1)));
            double acc = accuracies.get(done - 1);
            if (!Double.isNaN(acc)) {
                b.append(String.format(Locale.ROOT, " | acc %.1f%%", 100 * acc));
            }
            if (!Double.isFinite(losses.get(done - 1))) {
                b.append(" | !!! LOSS IS ").append(losses.get(done - 1)).append(" !!!");
            }
        }
        return b.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * The bundle: the text bar, and an HTML bar before the first step; after it one picture of the
     * bar, the status line and the curves (sent once, as image/png).
     */
    public DisplayData toDisplayData() {
        int done = steps();
        int pct = (int) (100L * done / total);
        String bar = "[" + "#".repeat(pct / 5) + ".".repeat(20 - pct / 5) + "] ";
        String text = bar + status();
        if (done == 0) {
            String html = "<div style=\"font-family:sans-serif;max-width:720px\">"
                    + "<div style=\"border:1px solid #888;height:14px;background:#eee;margin:4px 0\"></div>"
                    + Html.mono(status()) + "</div>";
            return Bundle.text(text).html(html).build();
        }
        BufferedImage curves = curves();
        return Bundle.text(text).png(Caption.of().mono(status()).above(withBar(curves, done / (double) total))).build();
    }

    /** A 14 px progress bar, {@code fraction} filled, above the curves. */
    static BufferedImage withBar(BufferedImage curves, double fraction) {
        int barW = Math.min(720, curves.getWidth()) - 2 * Caption.MARGIN;
        BufferedImage out = new BufferedImage(curves.getWidth(), curves.getHeight() + 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(new Color(0xeeeeee));
        g.fillRect(Caption.MARGIN, 4, barW, 14);
        g.setColor(Charts.SERIES[0]);
        g.fillRect(Caption.MARGIN, 4, (int) Math.round(barW * Math.min(1, fraction)), 14);
        g.setColor(new Color(0x888888));
        g.drawRect(Caption.MARGIN, 4, barW, 14);
        g.drawImage(curves, 0, 24, null);
        g.dispose();
        return out;
    }

    private BufferedImage curves() {
        int n = steps();
        double[] x = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            loss[i] = Double.isFinite(losses.get(i)) ? losses.get(i) : Double.NaN;
        }
        List<BufferedImage> parts = new ArrayList<>();
        parts.add(Charts.image(chart("Loss", "loss", x, loss)));
        if (accuracies.stream().anyMatch(a -> !Double.isNaN(a))) {
            double[] acc = new double[n];
            for (int i = 0; i < n; i++) {
                acc[i] = 100 * accuracies.get(i);
            }
            parts.add(Charts.image(chart("Accuracy", "accuracy (%)", x, acc)));
        }
        return Charts.grid(parts, 2);
    }

    private XYChart chart(String title, String yLabel, double[] x, double[] y) {
        XYChart c = Charts.xy(title, "step", yLabel, 360, 240);
        c.getStyler().setLegendVisible(false);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        Charts.ticks(c, 1, Math.max(total, 2), lo, hi);
        Charts.line(c, title, x, y, Charts.SERIES[0]);
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
        return "Progress(" + status() + ")";
    }
}
