package layerlab.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Paints heatmap tiles in a grid with titles, a colorbar (shared scale) or per-tile ranges, a
 * heading and a note — as one PNG that fits a notebook's width (about 960 px).
 */
final class TilePainter {
    static final int MAX_WIDTH = 960;
    private static final int MARGIN = 12;
    private static final int GAP = 12;
    private static final int GROUP_GAP = 10;
    private static final int MIN_SIDE = 24;
    private static final int BAR_AREA = 96;
    private static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.ITALIC, 12);

    /**
     * What to paint. {@code shared} is the map of the SHARED scale; with PER_TILE every tile gets
     * its own range but keeps the shared map's kind (diverging or sequential).
     */
    record Spec(String heading, Planes planes, Scale scale, Colormap shared, int maxWidth, int box) {
        /** Auto-sized to the notebook's width. */
        static Spec of(String heading, Planes planes, Scale scale, Colormap shared) {
            return new Spec(heading, planes, scale, shared, MAX_WIDTH, 0);
        }

        /** Every tile drawn in a box of {@code box} pixels (to line up two pictures side by side). */
        Spec withBox(int boxPixels) {
            return new Spec(heading, planes, scale, shared, maxWidth, boxPixels);
        }

        /** The tile box that {@link #of} would choose for a picture at most {@code width} wide. */
        static int autoBox(int width, int cols) {
            int cap = cols == 1 ? 400 : cols == 2 ? 240 : 160; // few tiles may be big
            return Math.min(cap, (width - 2 * MARGIN - BAR_AREA) / cols - GAP);
        }

        List<String> notes() {
            return planes.notes();
        }

        int cols() {
            return planes.cols();
        }
    }

    private TilePainter() {
    }

    static BufferedImage paint(Spec spec) {
        Layout lay = Layout.of(spec);
        BufferedImage img = new BufferedImage(lay.width, lay.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, lay.width, lay.height);
        g.setColor(Color.BLACK);
        g.setFont(HEADING);
        g.drawString(spec.heading(), MARGIN, MARGIN + 14);
        boolean anyNonFinite = false;
        int y0 = lay.top;
        for (Planes.Row row : spec.planes().rows()) {
            y0 += row.startsGroup() ? GROUP_GAP : 0;
            for (int i = 0; i < row.tiles().size(); i++) {
                Tile t = row.tiles().get(i);
                Stats s = t.stats();
                anyNonFinite |= s.hasNonFinite();
                Colormap cm = spec.scale() == Scale.SHARED ? spec.shared()
                        : Colormap.forRange(s.min(), s.max(), spec.shared().diverging());
                paintTile(g, t, s, cm, spec.scale(), MARGIN + i * (lay.cellW + GAP), y0, lay);
            }
            y0 += lay.cellH + GAP;
        }
        int barX = MARGIN + spec.cols() * (lay.cellW + GAP) + 4;
        paintColorbar(g, spec, barX, lay.top + lay.titleH, Math.max(120, Math.min(240, lay.gridH - lay.titleH)));
        int y = lay.top + lay.gridH + 18;
        g.setFont(NOTE);
        if (anyNonFinite) {
            g.setColor(Colormap.NON_FINITE);
            g.fillRect(MARGIN, y - 10, 12, 12);
            g.setColor(new Color(0xb00020));
            g.drawString("= NaN or ±Inf (see the warning in the text above)", MARGIN + 18, y);
            y += 18;
        }
        g.setColor(new Color(0x444444));
        for (String n : spec.notes()) {
            g.drawString(n, MARGIN, y);
            y += 18;
        }
        g.dispose();
        return img;
    }

    private static void paintTile(Graphics2D g, Tile t, Stats s, Colormap cm, Scale scale, int x, int y, Layout lay) {
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(t.title(), x, y + 12);
        if (scale == Scale.PER_TILE) {
            g.setFont(SMALL);
            g.setColor(new Color(0x555555));
            List<String> range = rangeLabel(s, lay.rangeForm);
            for (int i = 0; i < range.size(); i++) {
                g.drawString(range.get(i), x, y + 26 + 13 * i);
            }
        }
        BufferedImage px = new BufferedImage(t.w(), t.h(), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < t.h(); r++) {
            for (int c = 0; c < t.w(); c++) {
                px.setRGB(c, r, cm.rgb(t.data()[t.offset() + r * t.w() + c]));
            }
        }
        int ty = y + lay.titleH;
        // NOTE: a very flat or tall tile (say 1×5000) would shrink to nothing; MIN_SIDE stretches it
        int dw = Math.max(MIN_SIDE, (int) Math.round(t.w() * lay.zoom));
        int dh = Math.max(MIN_SIDE, (int) Math.round(t.h() * lay.zoom));
        Object interp = lay.zoom >= 1 ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR;
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interp);
        g.drawImage(px, x, ty, dw, dh, null);
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x - 1, ty - 1, dw + 1, dh + 1);
        if (lay.zoom >= 3) {
            for (int m : t.marked()) {
                int mx = x + (int) Math.round((m % t.w()) * lay.zoom);
                int my = ty + (int) Math.round((m / t.w()) * lay.zoom);
                int side = (int) Math.round(lay.zoom);
                g.setColor(Color.WHITE);
                g.drawRect(mx, my, side - 1, side - 1);
                if (side >= 6) { // room for a black inner line, which shows on light colors too
                    g.setColor(Color.BLACK);
                    g.drawRect(mx + 1, my + 1, side - 3, side - 3);
                }
            }
        }
    }

    /** How a tile's [min, max] is written: one form for every tile of a picture, the first that fits. */
    enum RangeForm { FULL, SHORT, TWO_LINES }

    /**
     * The form in which every tile's [min, max] fits {@code room} pixels: 4 significant digits, else
     * 3, else two lines "max …" over "min …" (labels of neighbouring tiles must not overlap).
     */
    static RangeForm rangeForm(List<Tile> tiles, int room) {
        FontMetrics fm = Caption.metrics(SMALL);
        RangeForm form = RangeForm.FULL;
        for (Tile t : tiles) {
            Stats s = t.stats();
            while (form != RangeForm.TWO_LINES && fm.stringWidth(rangeLabel(s, form).get(0)) > room) {
                form = RangeForm.values()[form.ordinal() + 1];
            }
        }
        return form;
    }

    static List<String> rangeLabel(Stats s, RangeForm form) {
        return switch (form) {
            case FULL -> List.of("[" + Html.num(s.min()) + ", " + Html.num(s.max()) + "]");
            case SHORT -> List.of("[" + Html.num(s.min(), 3) + ", " + Html.num(s.max(), 3) + "]");
            case TWO_LINES -> List.of("max " + Html.num(s.max(), 3), "min " + Html.num(s.min(), 3));
        };
    }


    private static void paintColorbar(Graphics2D g, Spec spec, int x, int y, int h) {
        int w = 16;
        Colormap cm = spec.scale() == Scale.SHARED ? spec.shared()
                : Colormap.forRange(-1, 1, spec.shared().diverging());
        for (int i = 0; i < h; i++) {
            g.setColor(new Color(cm.rgbAt(1.0 - (double) i / (h - 1))));
            g.drawLine(x, y + i, x + w, y + i);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, y, w, h);
        g.setFont(SMALL);
        if (spec.scale() == Scale.SHARED) {
            g.drawString(Html.num(cm.hi()), x + w + 4, y + 10);
            g.drawString(Html.num(cm.lo()), x + w + 4, y + h);
            if (cm.diverging()) {
                g.drawString("0", x + w + 4, y + h / 2 + 4);
            }
            g.drawString("value", x - 2, y - 6);
        } else if (cm.diverging()) {
            g.drawString("+max|x|", x + w + 4, y + 10);
            g.drawString("0", x + w + 4, y + h / 2 + 4);
            g.drawString("−max|x|", x + w + 4, y + h);
            g.drawString("per tile", x - 2, y - 6);
        } else {
            g.drawString("tile max", x + w + 4, y + 10);
            g.drawString("tile min", x + w + 4, y + h);
            g.drawString("per tile", x - 2, y - 6);
        }
    }

    /** Sizes: every tile gets the same box; the zoom is an integer when magnifying (square pixels). */
    private record Layout(int width, int height, int top, int cellW, int cellH, int titleH, int gridH, double zoom,
                          RangeForm rangeForm) {
        static Layout of(Spec spec) {
            int maxH = 1;
            int maxW = 1;
            for (Tile t : spec.planes().tiles()) {
                maxH = Math.max(maxH, t.h());
                maxW = Math.max(maxW, t.w());
            }
            double zoom;
            if (spec.box() > 0) {
                zoom = (double) spec.box() / Math.max(maxH, maxW);
            } else {
                zoom = (double) Spec.autoBox(spec.maxWidth(), spec.cols()) / Math.max(maxH, maxW);
                zoom = zoom >= 1 ? Math.floor(zoom) : zoom;
            }
            int cellW = Math.max((int) Math.round(maxW * zoom), 64);
            RangeForm form = TilePainter.rangeForm(spec.planes().tiles(), cellW + GAP - 4);
            int rangeLines = spec.scale() != Scale.PER_TILE ? 0 : form == RangeForm.TWO_LINES ? 2 : 1;
            int titleH = 18 + 13 * rangeLines + (rangeLines > 0 ? 1 : 0);
            int cellH = Math.max(MIN_SIDE, (int) Math.round(maxH * zoom)) + titleH;
            int rows = spec.planes().rows().size();
            int groups = 0;
            for (Planes.Row r : spec.planes().rows()) {
                groups += r.startsGroup() ? 1 : 0;
            }
            int gridH = rows * cellH + (rows - 1) * GAP + groups * GROUP_GAP;
            int top = MARGIN + 28;
            int noteLines = spec.notes().size() + 1;
            int height = top + Math.max(gridH, 120 + titleH + 10) + 12 + 18 * noteLines;
            int width = 2 * MARGIN + spec.cols() * (cellW + GAP) + BAR_AREA;
            width = Math.max(width, textWidth(spec));
            return new Layout(width, height, top, cellW, cellH, titleH, gridH, zoom, form);
        }

        private static int textWidth(Spec spec) {
            FontMetrics head = Caption.metrics(HEADING);
            FontMetrics note = Caption.metrics(NOTE);
            int w = head.stringWidth(spec.heading());
            for (String n : spec.notes()) {
                w = Math.max(w, note.stringWidth(n));
            }
            w = Math.max(w, note.stringWidth("= NaN or ±Inf (see the warning in the text above)") + 18);
            return w + 2 * MARGIN;
        }
    }
}
