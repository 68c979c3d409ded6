package layerlab.view;

import layerlab.tensor.Tensor;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Image n of an (N, C, H, W) batch as the picture it is: grey for one channel, colour for three
 * (values in [0, 1] as they are, others stretched from the image's own min to max), otherwise
 * channel 0 on the viridis map; magnified by whole pixels to fit {@code side}.
 */
final class Thumb {
    private Thumb() {
    }

    static BufferedImage image(Tensor images, int n, int side) {
        int c = images.size(1);
        int h = images.size(2);
        int w = images.size(3);
        float[] d = images.data();
        int plane = h * w;
        int base = n * c * plane;
        Stats s = Stats.of(d, base, c * plane);
        boolean unit = s.min() >= 0 && s.max() <= 1;
        double lo = unit ? 0 : s.min();
        double span = unit ? 1 : Math.max(s.max() - s.min(), 1e-12);
        Colormap cm = Colormap.forRange(s.min(), s.max(), false);
        BufferedImage px = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int at = base + i * w + j;
                int rgb;
                if (c == 1) {
                    int v = level(d[at], lo, span);
                    rgb = v << 16 | v << 8 | v;
                } else if (c == 3) {
                    rgb = level(d[at], lo, span) << 16 | level(d[at + plane], lo, span) << 8 | level(d[at + 2 * plane], lo, span);
                } else {
                    rgb = cm.rgb(d[at]);
                }
                px.setRGB(j, i, rgb);
            }
        }
        int zoom = Math.max(1, side / Math.max(h, w));
        BufferedImage out = new BufferedImage(w * zoom, h * zoom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(px, 0, 0, out.getWidth(), out.getHeight(), null);
        g.setColor(Color.GRAY);
        g.drawRect(0, 0, out.getWidth() - 1, out.getHeight() - 1);
        g.dispose();
        return out;
    }

    private static int level(float v, double lo, double span) {
        if (!Float.isFinite(v)) {
            return 255;
        }
        return (int) Math.round(255 * Math.max(0, Math.min(1, (v - lo) / span)));
    }
}
