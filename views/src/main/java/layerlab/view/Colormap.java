package layerlab.view;

import java.awt.Color;

/**
 * Maps values to colors. Values of one sign use a perceptually uniform sequential map (viridis:
 * dark purple = low, yellow = high); values of both signs use a diverging map centered on zero
 * (blue = negative, white = 0, red = positive), so a ReLU's zeros and a BatchNorm's negatives
 * read at a glance. NaN and ±Inf are drawn in {@link #NON_FINITE} magenta.
 */
final class Colormap {
    static final Color NON_FINITE = new Color(255, 0, 255);
    /** Distinct colors a heatmap uses. */
    static final int LEVELS = 128;

    // viridis sampled at 9 evenly spaced points (the published map's anchor colors)
    private static final int[] VIRIDIS = {0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d,
        0x27ad81, 0x5cc863, 0xaadc32, 0xfde725};
    // blue → white → red (a ColorBrewer RdBu-like ramp, reversed so red is positive)
    private static final int[] DIVERGING = {0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b};

    private final double lo;
    private final double hi;
    private final boolean diverging;

    private Colormap(double lo, double hi, boolean diverging) {
        this.lo = lo;
        this.hi = hi;
        this.diverging = diverging;
    }

    /** A map for values in [min, max]: diverging and symmetric around 0 when they have both signs. */
    static Colormap forRange(double min, double max) {
        return forRange(min, max, min < 0 && max > 0);
    }

    /** A map for [min, max] of the given kind (per-tile scales keep the kind of the whole tensor). */
    static Colormap forRange(double min, double max, boolean diverging) {
        if (!(min <= max)) { // no finite values
            return new Colormap(0, 1, diverging);
        }
        if (diverging) {
            double m = Math.max(Math.max(-min, max), Double.MIN_NORMAL);
            return new Colormap(-m, m, true);
        }
        return new Colormap(min, max, false);
    }

    /**
     * The 99th percentile of |x| over the finite non-zero values (a tiny positive number when there
     * are none): a symmetric scale for heavy-tailed values — gradients, trained weights — whose few
     * largest would otherwise wash every other value out to white.
     */
    static double bound99(float[] d) {
        float[] mag = new float[d.length];
        int n = 0;
        for (float v : d) {
            if (Float.isFinite(v) && v != 0) {
                mag[n++] = Math.abs(v);
            }
        }
        java.util.Arrays.sort(mag, 0, n);
        return n == 0 ? 1e-12 : Math.max(mag[Math.min(n - 1, (int) Math.floor(0.99 * n))], 1e-12);
    }

    double lo() {
        return lo;
    }

    double hi() {
        return hi;
    }

    boolean diverging() {
        return diverging;
    }

    int rgb(float v) {
        if (!Float.isFinite(v)) {
            return NON_FINITE.getRGB();
        }
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        // LEVELS steps of color: the eye sees no banding, and a PNG of smooth maps shrinks to a third
        double q = Math.rint(Math.max(0, Math.min(1, t)) * (LEVELS - 1)) / (LEVELS - 1);
        return ramp(diverging ? DIVERGING : VIRIDIS, q);
    }

    /** Color at position t ∈ [0, 1] of the ramp (for the colorbar). */
    int rgbAt(double t) {
        return ramp(diverging ? DIVERGING : VIRIDIS, t);
    }

    private static int ramp(int[] anchors, double t) {
        double x = t * (anchors.length - 1);
        int i = Math.min((int) x, anchors.length - 2);
        double f = x - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        int r = mix(a >> 16 & 255, b >> 16 & 255, f);
        int g = mix(a >> 8 & 255, b >> 8 & 255, f);
        int bl = mix(a & 255, b & 255, f);
        return 0xff000000 | r << 16 | g << 8 | bl;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    /** CSS color for an HTML cell; light enough that black text stays readable. */
    String cssBackground(float v) {
        if (!Float.isFinite(v)) {
            return "#ff00ff";
        }
        int rgb = rgb(v);
        // blend 45% toward white so dark viridis cells keep black digits readable
        int r = mix(rgb >> 16 & 255, 255, 0.45);
        int g = mix(rgb >> 8 & 255, 255, 0.45);
        int b = mix(rgb & 255, 255, 0.45);
        return String.format("#%02x%02x%02x", r, g, b);
    }
}
