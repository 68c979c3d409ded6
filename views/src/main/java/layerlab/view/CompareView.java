package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer's input and output side by side: number grids when both are small (a max-pool's
 * winning input cell drawn in the color of the output cell it became), heatmap tiles otherwise
 * (winners outlined when the tiles are large enough).
 */
final class CompareView {
    static final int SAMPLES = 2;
    static final int CHANNELS = 4;
    static final int FRAMES = 4;
    static final int COLS = 2;
    static final int SIDE_WIDTH = 470;
    /** Neighbouring pooling windows get different colors: index ((row % 2) * 2 + col % 2). */
    static final String[] PAIR_COLORS = {"#e6194b", "#3cb44b", "#4363d8", "#f58231"};

    private CompareView() {
    }

    /** {@code argmax} (may be null): per output element, the flat input index it came from. */
    static DisplayData compare(String layer, Tensor xIn, Tensor yIn, int[] argmax) {
        Tensor x = TensorView.host(xIn);
        Tensor y = TensorView.host(yIn);
        Stats sx = Stats.of(x);
        Stats sy = Stats.of(y);
        String heading = layer + ": input " + Shapes.str(x.shape()) + " → output " + Shapes.str(y.shape());
        String text = heading + "\ninput:  " + Stats.summary(xIn, sx) + "\noutput: " + Stats.summary(yIn, sy);
        String header = "<div style=\"font-weight:bold;font-family:sans-serif\">" + Html.escape(heading) + "</div>"
                + warn("input", sx) + warn("output", sy);
        List<Tile> xs = gridTiles(x);
        List<Tile> ys = gridTiles(y);
        if (xs != null && ys != null) {
            return grids(text, header, x, xs, ys, sx, sy, argmax);
        }
        Caption caption = Caption.of().heading(heading);
        warn(caption, "input", sx);
        warn(caption, "output", sy);
        return tiles(text, caption, x, y, sx, sy, argmax);
    }

    private static void warn(Caption c, String which, Stats s) {
        if (s.hasNonFinite()) {
            c.warning(which + ": " + s.nonFiniteMessage());
        }
    }

    private static String warn(String which, Stats s) {
        return s.hasNonFinite() ? Html.warning(which + ": " + s.nonFiniteMessage()) : "";
    }

    /** The planes of a tensor small enough to read as numbers, or null. */
    static List<Tile> gridTiles(Tensor t) {
        int[] s = t.shape();
        if (t.rank() <= 2) {
            boolean fits = s[0] <= Grid.MAX_SIDE && (t.rank() == 1 || s[1] <= Grid.MAX_SIDE);
            return fits ? Planes.of(t).tiles() : null;
        }
        Planes p = Planes.of(t);
        return TensorView.small(t, p) ? p.tiles() : null;
    }

    private static DisplayData grids(String text, String header, Tensor x, List<Tile> xs, List<Tile> ys,
                                     Stats sx, Stats sy, int[] argmax) {
        List<Map<Integer, String>> hx = new ArrayList<>();
        List<Map<Integer, String>> hy = new ArrayList<>();
        xs.forEach(t -> hx.add(new HashMap<>()));
        ys.forEach(t -> hy.add(new HashMap<>()));
        if (argmax != null) {
            mark(xs, ys, argmax, hx, hy);
        }
        // with winners marked, plain cells keep the colors readable; otherwise shade by value
        Colormap shX = argmax == null ? TensorView.shading(sx) : null;
        Colormap shY = argmax == null ? TensorView.shading(sy) : null;
        StringBuilder html = new StringBuilder(header);
        StringBuilder txt = new StringBuilder(text);
        boolean paired = xs.size() == ys.size();
        String arrow = "<span style=\"font-size:22px;margin:0 6px;vertical-align:middle\">&#8594;</span>";
        int rows = paired ? xs.size() : 1;
        for (int i = 0; i < rows; i++) {
            html.append("<div style=\"margin:4px 0\">");
            for (int k : paired ? List.of(i) : range(xs.size())) {
                html.append(grid(xs.get(k), shX, hx.get(k)).html(xs.size() > 1 ? xs.get(k).title() : "input"));
                txt.append("\ninput ").append(xs.get(k).title()).append(":\n").append(grid(xs.get(k), shX, hx.get(k)).text());
            }
            html.append(arrow);
            for (int k : paired ? List.of(i) : range(ys.size())) {
                html.append(grid(ys.get(k), shY, hy.get(k)).html(ys.size() > 1 ? ys.get(k).title() : "output"));
                txt.append("\noutput ").append(ys.get(k).title()).append(":\n").append(grid(ys.get(k), shY, hy.get(k)).text());
            }
            html.append("</div>");
        }
        if (argmax != null) {
            String legend = "Each window's winning input cell has the color of the output cell it became (* in text).";
            html.append(Html.note(legend));
            txt.append('\n').append(legend);
        }
        return Bundle.text(txt.toString()).html(html.toString()).build();
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    private static Grid grid(Tile t, Colormap shading, Map<Integer, String> hl) {
        return Grid.of(t.data(), t.offset(), t.h(), t.w(), shading).withHighlight(hl);
    }

    /** Colors each output cell and the input cell that won it alike. */
    private static void mark(List<Tile> xs, List<Tile> ys, int[] argmax, List<Map<Integer, String>> hx,
                             List<Map<Integer, String>> hy) {
        for (int j = 0; j < ys.size(); j++) {
            Tile out = ys.get(j);
            for (int k = 0; k < out.h() * out.w(); k++) {
                int flat = out.offset() + k;
                if (flat >= argmax.length) {
                    continue;
                }
                String color = PAIR_COLORS[(k / out.w()) % 2 * 2 + (k % out.w()) % 2];
                hy.get(j).put(k, color);
                int a = argmax[flat];
                for (int i = 0; i < xs.size(); i++) {
                    Tile in = xs.get(i);
                    if (a >= in.offset() && a < in.offset() + in.h() * in.w()) {
                        hx.get(i).put(a - in.offset(), color);
                    }
                }
            }
        }
    }

    /** Input and output heatmaps side by side in one picture, under the heading, warnings and notes. */
    private static DisplayData tiles(String text, Caption caption, Tensor x, Tensor y, Stats sx, Stats sy, int[] argmax) {
        Planes px = marked(capped(x), argmax);
        Planes py = capped(y);
        Colormap cx = Colormap.forRange(sx.min(), sx.max());
        boolean inside = sy.min() >= sx.min() && sy.max() <= sx.max();
        Colormap cy = inside ? cx : Colormap.forRange(sy.min(), sy.max());
        int box = TilePainter.Spec.autoBox(SIDE_WIDTH, COLS);
        int side = 1;
        for (Tile t : px.tiles()) {
            side = Math.max(side, Math.max(t.h(), t.w()));
        }
        if (box >= side) { // whole input pixels; a 2× pooled output then gets whole pixels too
            box = box / side * side;
        }
        BufferedImage left = TilePainter.paint(new TilePainter.Spec("input " + Shapes.str(x.shape()), px,
                Scale.SHARED, cx, SIDE_WIDTH, box));
        BufferedImage right = TilePainter.paint(new TilePainter.Spec("output " + Shapes.str(y.shape()), py,
                Scale.SHARED, cy, SIDE_WIDTH, box));
        StringBuilder txt = new StringBuilder(text);
        List<String> notes = new ArrayList<>();
        if (inside) {
            notes.add("Output drawn on the input's color scale (its values lie in the input's range).");
        }
        if (argmax != null) {
            notes.add("Outlined input pixels won their pooling window; windows lying wholly at the tile's minimum "
                    + "(e.g. all 0 after ReLU) are not outlined.");
        }
        for (String n : notes) {
            txt.append('\n').append(n);
        }
        return Bundle.text(txt.toString()).png(caption.notes(notes).above(beside(left, right))).build();
    }

    private static Planes capped(Tensor t) {
        return switch (t.rank()) {
            case 1, 2 -> Planes.of(t);
            case 3 -> Planes.cut(t, 0, 1, Math.min(t.size(0), CHANNELS), 1, COLS);
            case 4 -> Planes.cut(t, 0, Math.min(t.size(0), SAMPLES), Math.min(t.size(1), CHANNELS), 1, COLS);
            default -> Planes.cut(t, 0, Math.min(t.size(0), SAMPLES), Math.min(t.size(1), 2),
                    Math.min(t.size(2), FRAMES), COLS);
        };
    }

    /**
     * The same planes with each tile's winning pixels listed for outlining — except winners equal to
     * the tile's minimum: such a window holds nothing but that minimum (its max is the min), so its
     * "winner" is only the tie-break and would paint a grid over every flat region.
     */
    private static Planes marked(Planes p, int[] argmax) {
        if (argmax == null) {
            return p;
        }
        List<Planes.Row> rows = new ArrayList<>();
        for (Planes.Row row : p.rows()) {
            List<Tile> tiles = new ArrayList<>();
            for (Tile t : row.tiles()) {
                int size = t.h() * t.w();
                double floor = t.stats().min();
                int[] m = java.util.Arrays.stream(argmax).filter(a -> a >= t.offset() && a < t.offset() + size)
                        .filter(a -> t.data()[a] > floor).map(a -> a - t.offset()).distinct().toArray();
                tiles.add(new Tile(t.data(), t.offset(), t.h(), t.w(), t.title(), m));
            }
            rows.add(new Planes.Row(tiles, row.startsGroup()));
        }
        List<String> notes = new ArrayList<>(p.notes());
        notes.add("Outlined: the maximum (winner) of its pooling window.");
        return new Planes(rows, notes);
    }

    /** Two pictures side by side with an arrow between them. */
    static BufferedImage beside(BufferedImage a, BufferedImage b) {
        int gap = 44;
        BufferedImage out = new BufferedImage(a.getWidth() + gap + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth() + gap, 0, null);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        g.drawString("→", a.getWidth() + 6, Math.min(out.getHeight() / 2, 140));
        g.dispose();
        return out;
    }
}
