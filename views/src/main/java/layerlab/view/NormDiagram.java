package layerlab.view;

import java.util.Locale;

/**
 * The classic cube picture of which axes of (N, C, H, W) a normalization reduces over (after Wu &
 * He 2018, figure 2): N in depth, C across, H·W folded into the height. The cells that share one
 * mean and one variance are shaded blue.
 *
 * <pre>
 * BatchNorm:     per channel — over N, H, W      (μ_B^m of the lecture: 1/(HWT) Σ_t Σ_ij)
 * LayerNorm:     per sample  — over C, H, W      (μ^t: 1/(HWM) Σ_m Σ_ij)
 * InstanceNorm:  per sample and channel — H, W   (μ^{mt}: 1/(HW) Σ_ij)
 * GroupNorm:     per sample and channel group — C/G channels, H, W
 * </pre>
 */
final class NormDiagram {
    enum Kind {
        BATCH("Batch Norm", "over N, H, W — one μ, σ² per channel"),
        LAYER("Layer Norm", "over C, H, W — one μ, σ² per sample"),
        INSTANCE("Instance Norm", "over H, W — per sample and channel"),
        GROUP("Group Norm", "over C/G, H, W — per sample and group");

        final String title;
        final String rule;

        Kind(String title, String rule) {
            this.title = title;
            this.rule = rule;
        }
    }

    private static final int PANEL_W = 215;
    private static final int LEFT = 48; // room for the "H, W" label
    private static final int PANEL_H = 210;
    private static final int N_CELLS = 4;
    private static final double CW = 16;
    private static final double H = 90;
    private static final double DX = 11;
    private static final double DY = 9;

    private NormDiagram() {
    }

    /**
     * All four panels; {@code emphasized} (may be null) is drawn in full color and the others faded.
     * {@code channels} cells across (6 when ≤ 0) with GroupNorm groups of {@code channels / groups}.
     */
    static String svg(Kind emphasized, int channels, int groups) {
        int c = channels > 0 && channels <= 12 ? channels : 6;
        int groupSize = channels > 0 && channels <= 12 && groups > 0 ? c / groups : 2;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\">", 4 * PANEL_W, PANEL_H, 4 * PANEL_W, PANEL_H));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        Kind[] kinds = Kind.values();
        for (int i = 0; i < kinds.length; i++) {
            boolean faded = emphasized != null && kinds[i] != emphasized;
            b.append(panel(kinds[i], i * PANEL_W, c, Math.max(1, groupSize), faded));
        }
        return b.append("</svg>").toString();
    }

    /**
     * The width of one channel's cells: the cube, its depth and the "N" right of it stay inside the
     * panel for any number of channels (up to 12 are drawn).
     */
    static double cellWidth(int c) {
        return Math.min(CW, (PANEL_W - LEFT - N_CELLS * DX - 22) / c);
    }

    private static String panel(Kind k, int x0, int c, int groupSize, boolean faded) {
        StringBuilder b = new StringBuilder("<g opacity=\"" + (faded ? "0.35" : "1") + "\">");
        double cw = cellWidth(c);
        double ox = x0 + LEFT;
        double oy = 40 + N_CELLS * DY;
        b.append(text(x0 + PANEL_W / 2.0, 18, k.title, 14, "bold"));
        for (int n = N_CELLS - 1; n >= 0; n--) { // back to front, so the front face is drawn last
            for (int ch = 0; ch < c; ch++) {
                double x = ox + ch * cw + n * DX;
                double y = oy - n * DY;
                b.append(poly(shaded(k, n, ch, groupSize), x, y, x + cw, y, x + cw + DX, y - DY, x + DX, y - DY));
            }
            double xr = ox + c * cw + n * DX;
            double yr = oy - n * DY;
            b.append(poly(shaded(k, n, c - 1, groupSize), xr, yr, xr + DX, yr - DY, xr + DX, yr - DY + H, xr, yr + H));
        }
        for (int ch = 0; ch < c; ch++) {
            double x = ox + ch * cw;
            b.append(poly(shaded(k, 0, ch, groupSize), x, oy, x + cw, oy, x + cw, oy + H, x, oy + H));
        }
        b.append(text(ox + c * cw / 2, oy + H + 16, "C", 13, "normal"));
        b.append(text(ox - 14, oy + H / 2 + 4, "H, W", 12, "normal"));
        b.append(text(ox + c * cw + N_CELLS * DX + 10, oy + H - N_CELLS * DY / 2 + 10, "N", 13, "normal"));
        b.append(text(x0 + PANEL_W / 2.0, PANEL_H - 12, k.rule, 10, "normal"));
        return b.append("</g>").toString();
    }

    /** Whether cell (sample n, channel ch) is in the set reduced together with cell (0, 0). */
    static boolean shaded(Kind k, int n, int ch, int groupSize) {
        return switch (k) {
            case BATCH -> ch == 0;
            case LAYER -> n == 0;
            case INSTANCE -> n == 0 && ch == 0;
            case GROUP -> n == 0 && ch < groupSize;
        };
    }

    private static String poly(boolean shaded, double... xy) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xy.length; i += 2) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[i], xy[i + 1]));
        }
        return "<polygon points=\"" + pts.toString().trim() + "\" fill=\"" + (shaded ? "#4a90d9" : "#ffffff")
                + "\" stroke=\"#333\" stroke-width=\"0.8\"/>";
    }

    private static String text(double x, double y, String s, int size, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"%s\" "
                + "text-anchor=\"middle\" fill=\"#222\">%s</text>", x, y, size, weight, Html.escape(s));
    }
}
