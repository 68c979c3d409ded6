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
    static final int THUMB = 40;
    static final int MAX_THUMBS = 8;
    static final int MAX_STRIP = 320;

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
                + th("layer") + th("output shape") + th("min / mean / max") + th("zeros") + th("sample 0")
                + "</tr></thead><tbody>" + rows + "</tbody></table>";
        return Bundle.text(text).html(html).build();
    }

    private static String th(String s) {
        return "<th style=\"text-align:left;border-bottom:2px solid #444;padding:3px 8px\">" + s + "</th>";
    }

    private static String row(Trace.Entry e, Tensor y, Stats s, String bad) {
        String td = "<td style=\"padding:3px 8px;border-bottom:1px solid #ddd;vertical-align:middle";
        String range = Html.num(s.min()) + " / " + Html.num(s.mean()) + " / " + Html.num(s.max());
        String flag = bad.isEmpty() ? "" : "<div style=\"color:#b00020;font-weight:bold\">&#9888; "
                + Html.escape(bad) + "</div>";
        return "<tr>" + td + ";max-width:260px\">" + Html.escape(e.name()) + "</td>"
                + td + ";font-family:monospace;white-space:nowrap\">" + Html.escape(Shapes.str(y.shape())) + "</td>"
                + td + ";font-family:monospace;white-space:nowrap\">" + Html.escape(range) + flag + "</td>"
                + td + ";text-align:right\">" + HistogramView.pct(s.zeros(), s.finite()) + "</td>"
                + td + "\">" + Bundle.imgTag(Bundle.base64Png(strip(y, s)), "output of " + e.name()) + "</td></tr>";
    }

    /** Thumbnails of sample 0: one per channel (up to 8) for images, one stretched strip otherwise. */
    static BufferedImage strip(Tensor y, Stats s) {
        Colormap cm = Colormap.forRange(s.min(), s.max());
        List<Tile> tiles;
        if (y.rank() >= 3) {
            int channels = y.rank() == 3 ? y.size(0) : y.size(1);
            tiles = Planes.cut(y, 0, 1, Math.min(channels, MAX_THUMBS), 1).tiles();
        } else {
            tiles = List.of(new Tile(y.data(), 0, 1, y.size(-1), "")); // sample 0's features (the first row)
        }
        int width = 0;
        int[] widths = new int[tiles.size()];
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            widths[i] = y.rank() >= 3 ? THUMB : Math.min(MAX_STRIP, Math.max(THUMB, t.w() * 12));
            width += widths[i] + (i > 0 ? 4 : 0);
        }
        BufferedImage img = new BufferedImage(width, THUMB, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, THUMB);
        int x = 0;
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            BufferedImage px = new BufferedImage(t.w(), t.h(), BufferedImage.TYPE_INT_RGB);
            for (int r = 0; r < t.h(); r++) {
                for (int c = 0; c < t.w(); c++) {
                    px.setRGB(c, r, cm.rgb(t.data()[t.offset() + r * t.w() + c]));
                }
            }
            boolean up = widths[i] >= t.w();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, up ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                    : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(px, x, 0, widths[i], THUMB, null);
            x += widths[i] + 4;
        }
        g.dispose();
        return img;
    }
}
