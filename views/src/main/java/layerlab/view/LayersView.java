package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Trace;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What every layer of one forward pass produced (a {@link Trace}): per layer its output shape,
 * range, fraction of exact zeros, a NaN/Inf flag, and a thumbnail strip of sample 0's channels —
 * so a student sees the data change shape and scale on its way through the network.
 */
final class LayersView {
    /** A thumbnail's longer side in pixels: 28×28 maps at 2×, 14×14 at 4×, 7×7 at 8× (whole pixels). */
    static final int THUMB = 56;
    static final int MAX_THUMBS = 8;
    static final int GAP = 4;
    /** A feature vector is wrapped into rows of this many values, each {@link #CELL} pixels wide. */
    static final int ROW_VALUES = 128;
    static final int CELL = 4;
    static final int STRIP = ROW_VALUES * CELL;

    private LayersView() {
    }

    static DisplayData layers(List<Trace.Entry> entries) {
        Table t = Table.create("layers").addColumns(StringColumn.create("layer"), StringColumn.create("output shape"),
                DoubleColumn.create("min"), DoubleColumn.create("mean"), DoubleColumn.create("max"),
                StringColumn.create("zeros"), StringColumn.create("NaN/Inf"));
        StringBuilder rows = new StringBuilder();
        boolean anyBad = false;
        for (Trace.Entry e : entries) {
            Tensor y = TensorView.host(e.output());
            Stats s = Stats.of(y);
            anyBad |= s.hasNonFinite();
            String bad = s.hasNonFinite() ? s.nonFiniteMessage() : "";
            t.stringColumn(0).append(e.name());
            t.stringColumn(1).append(Shapes.str(y.shape()));
            t.doubleColumn(2).append(s.min());
            t.doubleColumn(3).append(s.mean());
            t.doubleColumn(4).append(s.max());
            t.stringColumn(5).append(HistogramView.pct(s.zeros(), s.finite()));
            t.stringColumn(6).append(bad);
            rows.append(row(e, y, s, bad));
        }
        String head = entries.size() + " layers ran";
        String text = (anyBad ? "!!! WARNING: some layer produced NaN or Inf (see the last column) !!!\n" : "")
                + head + "\n" + Tables.text(t);
        String html = (anyBad ? Html.warning("Some layer produced NaN or Inf — see the flagged rows.") : "")
                + "<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\"><thead><tr>"
                + th("layer") + th("output shape") + th("min / mean / max") + th("zeros")
                + "</tr></thead><tbody>" + rows + "</tbody></table>";
        return Bundle.text(text).html(html).build();
    }

    private static String th(String s) {
        return "<th style=\"text-align:left;border-bottom:2px solid #444;padding:3px 8px\">" + s + "</th>";
    }

    /** Two table rows per layer: its numbers, then sample 0's thumbnails across the whole width. */
    private static String row(Trace.Entry e, Tensor y, Stats s, String bad) {
        // NOTE: Jupyter's CSS right-aligns table cells and stripes odd rows: every cell says left,
        // every row white, or the thumbnails drift right and every other row turns grey
        String td = "<td style=\"padding:4px 8px 2px;vertical-align:top;text-align:left";
        String range = Html.num(s.min()) + " / " + Html.num(s.mean()) + " / " + Html.num(s.max());
        String flag = bad.isEmpty() ? "" : "<div style=\"color:#b00020;font-weight:bold\">&#9888; "
                + Html.escape(bad) + "</div>";
        return "<tr style=\"background:#fff\">" + td + ";font-weight:bold\">" + Html.escape(e.name()) + "</td>"
                + td + ";font-family:monospace;white-space:nowrap\">" + Html.escape(Shapes.str(y.shape())) + "</td>"
                + td + ";font-family:monospace;white-space:nowrap\">" + Html.escape(range) + flag + "</td>"
                + td + ";text-align:right\">" + HistogramView.pct(s.zeros(), s.finite()) + "</td></tr>"
                + "<tr style=\"background:#fff\"><td colspan=\"4\" style=\"padding:0 8px 8px;"
                + "border-bottom:1px solid #ddd;text-align:left\">"
                + Bundle.imgTag(Bundle.base64Png(strip(y, s)), "output of " + e.name())
                + Html.note(caption(y)) + "</td></tr>";
    }

    /** What the thumbnails show, e.g. "sample 0: channels 0–7 of 16". */
    static String caption(Tensor y) {
        if (y.rank() >= 3) {
            int channels = y.rank() == 3 ? y.size(0) : y.size(1);
            int shown = Math.min(channels, MAX_THUMBS);
            return "sample 0: " + (shown == channels ? channels + (channels == 1 ? " channel" : " channels")
                    : "channels 0–" + (shown - 1) + " of " + channels) + (y.rank() == 5 ? ", frame 0" : "");
        }
        int n = y.size(-1);
        return "sample 0: " + n + (n == 1 ? " value" : " values") + (n > ROW_VALUES ? ", " + ROW_VALUES
                + " per row" : "");
    }

    /** Thumbnails of sample 0: one per channel (up to 8) for images, its values as a strip of cells otherwise. */
    static BufferedImage strip(Tensor y, Stats s) {
        Colormap cm = Colormap.forRange(s.min(), s.max());
        if (y.rank() < 3) {
            return vector(y, cm);
        }
        int channels = y.rank() == 3 ? y.size(0) : y.size(1);
        List<Tile> tiles = Planes.cut(y, 0, 1, Math.min(channels, MAX_THUMBS), 1).tiles();
        int side = 1;
        for (Tile t : tiles) {
            side = Math.max(side, Math.max(t.h(), t.w()));
        }
        int zoom = Math.max(1, THUMB / side); // whole pixels, nearest neighbour: each value a crisp square
        int box = side >= THUMB ? THUMB : side * zoom;
        int width = tiles.size() * (box + GAP) - GAP;
        BufferedImage img = blank(width, box);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int w = side >= THUMB ? Math.max(1, t.w() * THUMB / side) : t.w() * zoom;
            int h = side >= THUMB ? Math.max(1, t.h() * THUMB / side) : t.h() * zoom;
            draw(g, pixels(t, cm), i * (box + GAP), 0, w, h, side <= THUMB);
        }
        g.dispose();
        return img;
    }

    /** Sample 0's features (the first row), wrapped into rows of {@link #ROW_VALUES}; few values get wide cells. */
    private static BufferedImage vector(Tensor y, Colormap cm) {
        int n = y.size(-1);
        int cols = Math.min(n, ROW_VALUES);
        int rows = (n + cols - 1) / cols;
        int cell = n <= ROW_VALUES ? Math.max(CELL, Math.min(24, STRIP / n)) : CELL;
        int ch = n <= ROW_VALUES ? 24 : CELL;
        BufferedImage img = blank(cols * cell, rows * ch);
        for (int i = 0; i < n; i++) {
            int rgb = cm.rgb(y.data()[i]);
            int x0 = i % cols * cell;
            int y0 = i / cols * ch;
            for (int dy = 0; dy < ch; dy++) {
                for (int dx = 0; dx < cell - (cell >= 12 ? 1 : 0); dx++) { // wide cells keep a 1 px seam
                    img.setRGB(x0 + dx, y0 + dy, rgb);
                }
            }
        }
        return img;
    }

    private static BufferedImage blank(int w, int h) {
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    private static BufferedImage pixels(Tile t, Colormap cm) {
        BufferedImage px = new BufferedImage(t.w(), t.h(), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < t.h(); r++) {
            for (int c = 0; c < t.w(); c++) {
                px.setRGB(c, r, cm.rgb(t.data()[t.offset() + r * t.w() + c]));
            }
        }
        return px;
    }

    private static void draw(Graphics2D g, BufferedImage px, int x, int y, int w, int h, boolean nearest) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, nearest ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(px, x, y, w, h, null);
    }
}
