package layerlab.check;

import java.util.LinkedHashMap;
import java.util.Map;
import layerlab.nn.Layer;
import layerlab.nn.Parameter;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Gradient checks: an analytic backward against central differences of the forward.
 *
 * <p>The loss is L = Σ_j w_j·y_j with fixed random weights w, so dL/dy = w is the upstream
 * gradient handed to backward, and every output element takes part.
 *
 * <ul>
 *   <li>{@link #check64}: double precision, on functions over {@code double[]} — the library's
 *       own tests run each layer's float64 twin kernels through it and ask for ≤ 1e-6;</li>
 *   <li>{@link #check(Layer, Tensor, long)}: on any float32 {@link Layer}, the input and every
 *       trainable parameter — what a lab uses on a student's layer. Float32 rounding limits it
 *       to about 1e-3; 1e-2 is the usual pass mark. Its error is {@link #relErrorFloored}: the
 *       numerical derivative in float32 carries an absolute noise of about 1e-5, which would make
 *       an element whose true gradient is near zero (common in the norms, whose gradients sum to
 *       zero) look wrong under the plain per-element form.</li>
 * </ul>
 *
 * <p>NOTE: a central difference straddling a kink (ReLU at 0, a max-pool near-tie) is wrong by
 * design; keep inputs at least 2h away from kinks.
 */
public final class GradCheck {
    private GradCheck() {}

    /** y = f(x) in double precision. */
    @FunctionalInterface
    public interface Forward64 {
        double[] apply(double[] x);
    }

    /** dL/dx given x and dL/dy, in double precision. */
    @FunctionalInterface
    public interface Backward64 {
        double[] apply(double[] x, double[] dy);
    }

    /** The outcome: the worst {@link #relError} and the two gradients compared. */
    public record Result(double relError, double[] analytic, double[] numeric) {
        public boolean passes(double bound) {
            return relError <= bound;
        }
    }

    /** relError(a, b) = max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|), as in the labs (CS231n's form). */
    public static double relError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("relError: arrays of different lengths, " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double r = Math.abs(a[i] - b[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(b[i]));
            if (!(r <= worst)) {
                worst = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
            }
        }
        return worst;
    }

    /**
     * Like {@link #relError}, but each denominator is at least 1 % of the largest |a_j| + |b_j|:
     * max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|, 0.01 · max_j (|a_j| + |b_j|)). An element
     * whose gradient is tiny next to the others is judged by the scale of the whole gradient, so
     * float32 noise there does not fail a correct backward, while a wrong term anywhere the
     * gradient matters still shows as an error of order 1.
     */
    public static double relErrorFloored(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("relError: arrays of different lengths, " + a.length + " and " + b.length);
        }
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            double m = Math.abs(a[i]) + Math.abs(b[i]);
            scale = m > scale ? m : scale;
        }
        double floor = Math.max(1e-8, 0.01 * scale);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double r = Math.abs(a[i] - b[i]) / Math.max(floor, Math.abs(a[i]) + Math.abs(b[i]));
            if (!(r <= worst)) {
                worst = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
            }
        }
        return worst;
    }

    /** relError of two float tensors of the same shape. */
    public static double relError(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("relError: shapes differ, " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()));
        }
        return relError(toDouble(a.data()), toDouble(b.data()));
    }

    /** Double-precision check with h = 1e-3 and a 4-point stencil (error O(h⁴)). */
    public static Result check64(double[] x, Forward64 f, Backward64 b, long seed) {
        return check64(x, f, b, seed, 1e-3);
    }

    public static Result check64(double[] x, Forward64 f, Backward64 b, long seed, double h) {
        double[] y = f.apply(x.clone());
        double[] w = weights(seed, y.length);
        double[] analytic = b.apply(x.clone(), w.clone());
        if (analytic.length != x.length) {
            throw new IllegalArgumentException("GradCheck: backward returned " + analytic.length
                    + " values for an input of " + x.length);
        }
        double[] numeric = new double[x.length];
        double[] xp = x.clone();
        for (int i = 0; i < x.length; i++) {
            double l2 = lossAt(f, xp, i, x[i] + 2 * h, w);
            double l1 = lossAt(f, xp, i, x[i] + h, w);
            double m1 = lossAt(f, xp, i, x[i] - h, w);
            double m2 = lossAt(f, xp, i, x[i] - 2 * h, w);
            xp[i] = x[i];
            numeric[i] = (8 * (l1 - m1) - (l2 - m2)) / (12 * h);
        }
        return new Result(relError(analytic, numeric), analytic, numeric);
    }

    /**
     * Float32 check of a layer: the input gradient under "input" and each trainable parameter's
     * under its name. The layer runs in training mode as it is; for layers with randomness
     * (dropout) the mask must be fixed by a seed so repeated forwards agree.
     */
    public static Map<String, Double> check(Layer layer, Tensor x, long seed) {
        return check(layer, x, seed, 1e-2f);
    }

    public static Map<String, Double> check(Layer layer, Tensor x, long seed, float h) {
        String who = "GradCheck(" + layerName(layer) + ", input " + Shapes.str(x.shape()) + ")";
        Tensor y = layer.forward(x);
        if (y == null) {
            throw new IllegalStateException(who + ": forward returned null; expected the output tensor");
        }
        Tensor w = Tensor.randn(Seed.of(seed), y.shape());
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        layer.forward(x);
        Tensor dx = layer.backward(w);
        if (dx == null) {
            throw new IllegalStateException(who + ": backward returned null; expected dL/dX of shape "
                    + Shapes.str(x.shape()));
        }
        if (!java.util.Arrays.equals(dx.shape(), x.shape())) {
            throw new IllegalStateException(who + ": backward returned dL/dX of shape " + Shapes.str(dx.shape())
                    + "; expected the input's shape " + Shapes.str(x.shape()));
        }
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("input", relErrorFloored(toDouble(dx.data()), numeric(layer, x, x.data(), w, h)));
        for (Parameter p : layer.parameters()) {
            if (p.trainable()) {
                if (p.grad() == null || p.grad().numel() != p.value().numel()) {
                    throw new IllegalStateException(who + ": the gradient of parameter '" + p.name() + "' is "
                            + (p.grad() == null ? "null" : "of shape " + Shapes.str(p.grad().shape()))
                            + "; expected the parameter's shape " + Shapes.str(p.value().shape()));
                }
                double[] analytic = toDouble(p.grad().data());
                errors.put(p.name(), relErrorFloored(analytic, numeric(layer, x, p.value().data(), w, h)));
            }
        }
        return errors;
    }

    private static String layerName(Layer layer) {
        String s = layer.getClass().getSimpleName();
        return s.isEmpty() ? layer.getClass().getName() : s;
    }

    private static double[] numeric(Layer layer, Tensor x, float[] target, Tensor w, float h) {
        double[] g = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            float keep = target[i];
            target[i] = keep + h;
            double lp = dot(layer.forward(x), w);
            target[i] = keep - h;
            double lm = dot(layer.forward(x), w);
            target[i] = keep;
            g[i] = (lp - lm) / (2.0 * h);
        }
        return g;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    private static double lossAt(Forward64 f, double[] xp, int i, double value, double[] w) {
        xp[i] = value;
        double[] y = f.apply(xp.clone());
        double s = 0;
        for (int j = 0; j < y.length; j++) {
            s += w[j] * y[j];
        }
        return s;
    }

    private static double[] weights(long seed, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Rng.normal(seed, i);
        }
        return w;
    }

    /** Widens a float array (exactly). */
    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
