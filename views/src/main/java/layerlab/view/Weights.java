package layerlab.view;

import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A layer's weights as a picture, on one diverging scale around 0 (blue negative, red positive;
 * ±the 99th percentile of |w|, {@link Colormap#bound99}):
 * conv filters (O, C, k, k) as k×k tiles, one row per output map and one column per input channel
 * (a single input channel: the O filters side by side); FC weights A (N × M) as an N × M heatmap.
 */
final class Weights {
    static final int MAX_OUT = 32;
    static final int MAX_IN = 16;
    static final int MAX_FC_WIDTH = 512;
    private static final int GAP = 2;
    private static final Color SEAM = new Color(0x999999);

    private Weights() {
    }

    /** The picture, its color scale ±bound, and what it left out ("" when nothing). */
    record Picture(BufferedImage image, double bound, String note) {
    }

    static Picture paint(Tensor w) {
        Tensor t = TensorView.host(w);
        double m = Colormap.bound99(t.data());
        Colormap cm = Colormap.forRange(-m, m, true);
        return t.rank() == 4 ? filters(t, cm, m) : matrix(t, cm, m);
    }

    /** Conv filters: rows = output maps (up to 32), columns = input channels (up to 16). */
    private static Picture filters(Tensor t, Colormap cm, double bound) {
        int[] s = t.shape();
        int o = Math.min(s[0], MAX_OUT);
        int c = Math.min(s[1], MAX_IN);
        int k = s[2];
        int zoom = Math.max(2, Math.min(6, 16 / Math.max(k, s[3]))); // 3×3 filters at 5×: 15 px
        boolean single = s[1] == 1; // one input channel: the filters in a row, wrapped at 16
        int cols = single ? Math.min(o, 16) : c;
        int rows = single ? (o + cols - 1) / cols : o;
        int side = k * zoom + GAP;
        BufferedImage img = blank(cols * side + GAP, rows * side + GAP, SEAM); // grey seams part the filters
        for (int out = 0; out < o; out++) {
            for (int in = 0; in < c; in++) {
                int col = single ? out % cols : in;
                int row = single ? out / cols : out;
                int base = (out * s[1] + in) * k * s[3];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        fill(img, GAP + col * side + j * zoom, GAP + row * side + i * zoom, zoom, zoom,
                                cm.rgb(t.data()[base + i * s[3] + j]));
                    }
                }
            }
        }
        String note = "";
        if (o < s[0] || c < s[1]) {
            note = "Showing " + o + " of " + s[0] + " output maps, " + c + " of " + s[1] + " input channels.";
        }
        return new Picture(img, bound, note);
    }

    /** FC weights (N × M): columns averaged in groups when M exceeds 512, rows magnified to about 96 px. */
    private static Picture matrix(Tensor t, Colormap cm, double bound) {
        int n = t.size(0);
        int m = t.size(1);
        int group = (m + MAX_FC_WIDTH - 1) / MAX_FC_WIDTH;
        int width = (m + group - 1) / group;
        int zx = group == 1 ? Math.max(1, Math.min(8, MAX_FC_WIDTH / m)) : 1;
        int zy = Math.max(1, Math.min(12, 96 / n));
        int rows = Math.min(n, 256);
        BufferedImage img = blank(width * zx, rows * zy, Color.WHITE);
        float[] d = t.data();
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < width; col++) {
                double sum = 0;
                int count = 0;
                for (int j = col * group; j < Math.min(m, (col + 1) * group); j++) {
                    sum += d[r * m + j];
                    count++;
                }
                fill(img, col * zx, r * zy, zx, zy, cm.rgb((float) (sum / count)));
            }
        }
        String note = (group > 1 ? "Columns averaged in groups of " + group + " (" + m + " inputs). " : "")
                + (rows < n ? "Showing " + rows + " of " + n + " rows." : "");
        return new Picture(img, bound, note.trim());
    }

    /** "8×1×3×3 filters" or "A: 64×784". */
    static String describe(Tensor w) {
        int[] s = w.shape();
        return w.rank() == 4 ? s[0] + " filters " + s[1] + "×" + s[2] + "×" + s[3] + " (rows: output maps)"
                : "A: " + s[0] + "×" + s[1] + " (rows: outputs, columns: inputs)";
    }

    static String range(Tensor w) {
        Stats s = Stats.of(TensorView.host(w));
        return Shapes.str(w.shape()) + " in [" + Html.num(s.min()) + ", " + Html.num(s.max()) + "]";
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int dy = 0; dy < h; dy++) {
            for (int dx = 0; dx < w; dx++) {
                img.setRGB(x + dx, y + dy, rgb);
            }
        }
    }

    private static BufferedImage blank(int w, int h, Color background) {
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }
}
