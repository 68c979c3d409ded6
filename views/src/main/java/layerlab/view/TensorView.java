package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Device;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * How a tensor looks in a notebook: a summary line (shape, device, min/max/mean/std, NaN/Inf
 * flagged loudly), then its values — small ones as HTML grids like the slides' 4×4 examples,
 * larger ones as heatmap tiles (one per channel per sample) with a colorbar.
 */
final class TensorView {
    /** Rank 3–5 tensors whose planes are at most this big (and few) are shown as number grids. */
    static final int SMALL_PLANE = 8;
    static final int SMALL_PLANES = 8;

    private TensorView() {
    }

    /**
     * The tensor's values on the CPU (a copy when it lives on a device). NOTE: labels must name the
     * original tensor's device, so every view keeps the original for its summary line.
     */
    static Tensor host(Tensor t) {
        return t.device() == Device.CPU ? t : t.to(Device.CPU);
    }

    static DisplayData show(Tensor x, Scale scale) {
        Tensor t = host(x);
        Stats s = Stats.of(t);
        int[] sh = t.shape();
        if (t.rank() == 1 && sh[0] <= Grid.MAX_SIDE) {
            return grids(x, s, List.of(Grid.of(t.data(), 0, 1, sh[0], shading(s))), List.of(""));
        }
        if (t.rank() == 2 && sh[0] <= Grid.MAX_SIDE && sh[1] <= Grid.MAX_SIDE) {
            return grids(x, s, List.of(Grid.of(t.data(), 0, sh[0], sh[1], shading(s))), List.of(""));
        }
        if (t.rank() == 1) {
            return Charts.values(x, t, s);
        }
        Planes p = Planes.of(t);
        if (small(t, p)) {
            List<Grid> gs = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (Tile tile : p.tiles()) {
                gs.add(Grid.of(tile.data(), tile.offset(), tile.h(), tile.w(), shading(s)));
                captions.add(tile.title());
            }
            return grids(x, s, gs, captions);
        }
        return tiles(x, s, p, scale, switch (t.rank()) { // the summary line above names the shape
            case 2 -> "One tile: rows × columns";
            case 3 -> "One tile per channel c";
            case 4 -> "One tile per sample n and channel c";
            default -> "One tile per sample n, channel c and frame t";
        });
    }

    /** Every channel of sample {@code n} (the ConvNetJS view), up to 64 channels, 8 per row. */
    static DisplayData featureMaps(Tensor x, int n, Scale scale) {
        Tensor t = host(x);
        int r = t.rank();
        if (r != 3 && r != 4) {
            throw new IllegalArgumentException("featureMaps: expected rank 3 (C,H,W) or 4 (N,C,H,W), got shape "
                    + Shapes.str(t.shape()));
        }
        int samples = r == 3 ? 1 : t.size(0);
        if (n < 0 || n >= samples) {
            throw new IllegalArgumentException("featureMaps: expected sample index in [0, " + samples + "), got " + n);
        }
        int channels = r == 3 ? t.size(0) : t.size(1);
        Planes p = Planes.cut(t, r == 3 ? 0 : n, 1, Math.min(channels, 64), 1);
        List<String> notes = new ArrayList<>();
        if (channels > 64) {
            notes.add("Left out: showing 64 of " + channels + " channels.");
        }
        if (samples > 1) {
            notes.add("Sample n=" + n + " of " + samples + "; featureMaps(x, k) shows sample k.");
        }
        Planes one = new Planes(Planes.Row.wrap(List.of(p.tiles()), Planes.MAX_COLS), notes);
        String heading = "Feature maps of sample " + n + " — " + Math.min(channels, 64) + " channels";
        return tiles(x, Stats.of(t), one, scale, heading);
    }

    /** Whether a rank 3–5 tensor's planes are few and small enough to read as numbers. */
    static boolean small(Tensor t, Planes p) {
        int[] sh = t.shape();
        return t.rank() >= 3 && sh[t.rank() - 1] <= SMALL_PLANE && sh[t.rank() - 2] <= SMALL_PLANE
                && p.tiles().size() <= SMALL_PLANES && p.notes().isEmpty();
    }

    static Colormap shading(Stats s) {
        return Colormap.forRange(s.min(), s.max());
    }

    /** HTML: summary, warning, grids side by side. Text: summary and each grid. {@code shown} is labelled. */
    static DisplayData grids(Tensor shown, Stats s, List<Grid> gs, List<String> captions) {
        StringBuilder text = new StringBuilder(Stats.summary(shown, s));
        StringBuilder html = new StringBuilder(header(shown, s)).append("<div>");
        for (int i = 0; i < gs.size(); i++) {
            String cap = captions.get(i);
            text.append('\n').append(cap.isEmpty() ? "" : cap + ":\n").append(gs.get(i).text());
            html.append(gs.get(i).html(cap.isEmpty() ? null : cap));
        }
        return Bundle.text(text.toString()).html(html.append("</div>").toString()).build();
    }

    /** PNG tiles under the summary line (and the NaN warning); the notes are in the picture too. */
    static DisplayData tiles(Tensor shown, Stats s, Planes p, Scale scale, String heading) {
        TilePainter.Spec spec = TilePainter.Spec.of(heading, p, scale, Colormap.forRange(s.min(), s.max()));
        BufferedImage img = Caption.summary(shown, s).above(TilePainter.paint(spec));
        StringBuilder text = new StringBuilder(Stats.summary(shown, s));
        text.append("\nheatmap: ").append(p.tiles().size()).append(" tiles, ").append(scale == Scale.SHARED
                ? "one shared color scale" : "each tile on its own scale");
        for (String n : p.notes()) {
            text.append('\n').append(n);
        }
        return Bundle.text(text.toString()).png(img).build();
    }

    static String header(Tensor t, Stats s) {
        String warn = s.hasNonFinite() ? Html.warning(s.nonFiniteMessage()) : "";
        return warn + Html.mono(Stats.line(t, s));
    }
}
