package layerlab.view;

import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Summary statistics of a tensor's values. min/max/mean/std are over the finite values only;
 * NaN and ±Inf are counted separately so the display can flag them instead of printing NaN means.
 *
 * @param finite how many values are finite (mean and std are over these; std is the population std)
 */
record Stats(int numel, int finite, double min, double max, double mean, double std,
             int nan, int posInf, int negInf, int zeros) {

    static Stats of(Tensor t) {
        return of(t.data(), 0, t.numel());
    }

    /** Statistics of {@code data[from, from + length)}. */
    static Stats of(float[] data, int from, int length) {
        int finite = 0;
        int nan = 0;
        int posInf = 0;
        int negInf = 0;
        int zeros = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            float v = data[i];
            if (Float.isNaN(v)) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                posInf++;
            } else if (v == Float.NEGATIVE_INFINITY) {
                negInf++;
            } else {
                finite++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                if (v == 0f) {
                    zeros++;
                }
            }
        }
        double mean = finite > 0 ? sum / finite : Double.NaN;
        double ss = 0;
        for (int i = from; i < from + length; i++) {
            float v = data[i];
            if (Float.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double std = finite > 0 ? Math.sqrt(ss / finite) : Double.NaN;
        if (finite == 0) {
            min = Double.NaN;
            max = Double.NaN;
        }
        return new Stats(length, finite, min, max, mean, std, nan, posInf, negInf, zeros);
    }

    boolean hasNonFinite() {
        return nan + posInf + negInf > 0;
    }

    /** "3 NaN, 1 +Inf out of 64 values", or "" when all values are finite. */
    String nonFiniteMessage() {
        if (!hasNonFinite()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        append(b, nan, "NaN");
        append(b, posInf, "+Inf");
        append(b, negInf, "-Inf");
        return b + " out of " + numel + " values";
    }

    private static void append(StringBuilder b, int count, String what) {
        if (count > 0) {
            b.append(b.length() > 0 ? ", " : "").append(count).append(' ').append(what);
        }
    }

    /**
     * One line: "Tensor shape [2, 3, 4, 4] on opencl | min -2.1 max 2.5 mean 0.01 std 0.98" — the
     * device of {@code t} itself, which may differ from the host copy {@code s} was computed on.
     */
    static String line(Tensor t, Stats s) {
        return "Tensor shape " + Shapes.str(t.shape()) + " on " + t.device().label()
                + " | min " + Html.num(s.min) + "  max " + Html.num(s.max)
                + "  mean " + Html.num(s.mean) + "  std " + Html.num(s.std)
                + (s.hasNonFinite() ? "  (of the " + s.finite + " finite values)" : "");
    }

    /** The text/plain summary; a NaN/Inf warning line comes first, in capitals, so no one misses it. */
    static String summary(Tensor t, Stats s) {
        String warn = s.hasNonFinite() ? "!!! WARNING: " + s.nonFiniteMessage() + " !!!\n" : "";
        return warn + line(t, s);
    }
}
