package layerlab.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import layerlab.nn.Layer;
import layerlab.nn.Parameter;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;

/**
 * The checks of the labs: each throws an {@link AssertionError} whose message says what was
 * checked, what was expected and what came — for a tensor, the worst element with its index,
 * both values and the tolerance. Java's {@code assert} is off unless the JVM runs with
 * {@code -ea}, so a lab never relies on it; these throw whatever the flags.
 *
 * <pre>{@code
 * Expect.close("dx", myDx, reference.backward(dy), 1e-5);
 * Expect.sameAs(new MyMaxPool(2, 2), new MaxPool(2, 2), x);   // forward, dX and parameter gradients
 * Expect.gradients(new MyMaxPool(2, 2), x);                   // backward against central differences
 * }</pre>
 *
 * <p>Tolerances are mixed: an element passes when |actual − expected| ≤ tol · max(1, |expected|),
 * so tol is absolute near zero and relative for large values. NaN passes only against NaN, and
 * an infinity only against the same infinity.
 */
public final class Expect {
    /** The float32 gradient check's pass mark (central differences in float32 are good to ~1e-3). */
    public static final double GRADIENT_BOUND = 1e-2;

    private Expect() {}

    /** Fails with {@code what} unless {@code ok}. */
    public static void that(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("check failed: " + what);
        }
    }

    /** Code that must be refused: what {@link #throwsWith} runs. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * {@code action} must throw a {@code type} whose message contains {@code substring} (case
     * ignored), e.g. a layer refusing p = 0 with a message that names the value. Returns the
     * exception.
     */
    public static <T extends Throwable> T throwsWith(Class<T> type, String substring, String what, Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            if (!type.isInstance(t)) {
                throw new AssertionError(what + ": expected " + type.getSimpleName() + ", got "
                        + t.getClass().getSimpleName() + ": " + t.getMessage(), t);
            }
            String m = String.valueOf(t.getMessage());
            if (!m.toLowerCase(java.util.Locale.ROOT).contains(substring.toLowerCase(java.util.Locale.ROOT))) {
                throw new AssertionError(what + ": the " + type.getSimpleName() + "'s message should mention \""
                        + substring + "\", got \"" + m + "\"");
            }
            return type.cast(t);
        }
        throw new AssertionError(what + ": expected " + type.getSimpleName() + " (mentioning \"" + substring
                + "\"), but nothing was thrown");
    }

    /** Two numbers agree within {@code tol} (mixed absolute/relative, as for tensors). */
    public static void close(String name, double actual, double expected, double tol) {
        if (!agree(actual, expected, tol)) {
            throw new AssertionError(name + ": got " + actual + ", expected " + expected
                    + " (|difference| " + fmt(Math.abs(actual - expected)) + " > tolerance " + fmt(bound(expected, tol)) + ")");
        }
    }

    /** A tensor has the given shape. */
    public static void shape(String name, Tensor actual, int... expected) {
        present(name, actual);
        if (!Arrays.equals(actual.shape(), expected)) {
            throw new AssertionError(name + ": shape " + Arrays.toString(actual.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    /** Same shape and every element within {@code tol}; the message names the worst element. */
    public static void close(String name, Tensor actual, Tensor expected, double tol) {
        present(name, actual);
        shape(name, actual, expected.shape());
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        int worst = -1;
        double worstExcess = 0;
        int off = 0;
        for (int i = 0; i < a.length; i++) {
            if (!agree(a[i], e[i], tol)) {
                off++;
                double excess = Math.abs((double) a[i] - e[i]) / bound(e[i], tol);
                if (worst < 0 || !(excess <= worstExcess)) {
                    worst = i;
                    worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                }
            }
        }
        if (worst >= 0) {
            throw new AssertionError(name + ": " + off + " of " + a.length + " elements differ; the worst, at "
                    + Arrays.toString(index(worst, actual.shape())) + ", is " + a[worst] + ", expected " + e[worst]
                    + " (|difference| " + fmt(Math.abs((double) a[worst] - e[worst])) + " > tolerance "
                    + fmt(bound(e[worst], tol)) + ")");
        }
    }

    /** Same shape and the same values exactly (for routing: which element takes a gradient). */
    public static void equal(String name, Tensor actual, Tensor expected) {
        close(name, actual, expected, 0);
    }

    /**
     * A student's layer against layerlab's own on input {@code x}, with tolerance 1e-5: the
     * forward output, then dX for one upstream gradient, then the gradient of every trainable
     * parameter the two layers share by name. Both layers run as they are (training or eval mode).
     * Prints one line saying what agreed.
     */
    public static void sameAs(Layer mine, Layer reference, Tensor x) {
        sameAs(mine, reference, x, 1e-5);
    }

    public static void sameAs(Layer mine, Layer reference, Tensor x, double tol) {
        System.out.println(compare(mine, reference, x, tol));
    }

    /**
     * {@link #sameAs} without printing: returns the line sameAs would print, for hidden tests
     * that check many shapes and report once.
     */
    public static String compare(Layer mine, Layer reference, Tensor x, double tol) {
        String who = name(mine) + " vs " + name(reference) + " on " + Arrays.toString(x.shape());
        Tensor expectedY = reference.forward(x.copy());
        Tensor y = mine.forward(x.copy());
        close(who + ", forward output", y, expectedY, tol);
        Tensor dy = Tensor.randn(Seed.of(x.numel() + 17L), expectedY.shape());
        mine.parameters().forEach(Parameter::zeroGrad);
        reference.parameters().forEach(Parameter::zeroGrad);
        Tensor expectedDx = reference.backward(dy.copy());
        Tensor dx = mine.backward(dy.copy());
        present(who + ", backward: dX (the value backward returns)", dx);
        close(who + ", backward dX", dx, expectedDx, tol);
        List<String> compared = new ArrayList<>();
        for (Parameter r : reference.parameters()) {
            if (!r.trainable()) {
                continue;
            }
            Parameter m = mine.parameters().stream().filter(p -> p.name().equals(r.name())).findFirst().orElse(null);
            if (m != null) {
                close(who + ", gradient of " + r.name(), m.grad(), r.grad(), tol);
                compared.add("d" + r.name());
            }
        }
        return "OK: " + who + " — forward and dX" + (compared.isEmpty() ? "" : ", " + String.join(", ", compared))
                + " agree within " + fmt(tol);
    }

    /**
     * Backward against central differences (float32, {@link GradCheck#check}): the input gradient
     * and every trainable parameter's. Prints each relative error with what it means; fails
     * above {@link #GRADIENT_BOUND}.
     */
    public static Map<String, Double> gradients(Layer layer, Tensor x) {
        Map<String, Double> errors = GradCheck.check(layer, x, x.numel() + 5L);
        StringBuilder bad = new StringBuilder();
        for (var e : errors.entrySet()) {
            String what = e.getKey().equals("input") ? "dX" : "d" + e.getKey();
            double r = e.getValue();
            System.out.println("gradient check of " + name(layer) + ", " + what + ": relative error " + fmt(r) + " — " + meaning(r));
            if (!(r <= GRADIENT_BOUND)) {
                bad.append(bad.length() == 0 ? "" : "; ").append(what).append(' ').append(fmt(r));
            }
        }
        if (bad.length() > 0) {
            throw new AssertionError("gradient check of " + name(layer) + " on " + Arrays.toString(x.shape())
                    + ": relative error above " + fmt(GRADIENT_BOUND) + " (" + bad + "): backward does not match the forward");
        }
        return errors;
    }

    /** What a float32 gradient check's relative error says (CS231n's reading, adjusted to float32). */
    public static String meaning(double relError) {
        if (Double.isNaN(relError) || Double.isInfinite(relError)) {
            return "NaN or infinity: backward produced a NaN or the values are of very different size";
        }
        if (relError < 1e-4) {
            return "agrees (float32 rounding)";
        }
        if (relError < GRADIENT_BOUND) {
            return "agrees within float32's limits (float32 differences are this coarse; near a kink"
                    + " such as ReLU at 0 or a max-pool tie they are coarser)";
        }
        if (relError < 0.1) {
            return "suspicious: a small term is wrong or missing";
        }
        return "wrong: backward does not compute the derivative of forward";
    }

    private static void present(String name, Tensor t) {
        if (t == null) {
            throw new AssertionError(name + " is null: expected a tensor (did the method return its result?)");
        }
    }

    private static boolean agree(double a, double e, double tol) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (Double.isInfinite(e) || Double.isInfinite(a)) {
            return a == e;
        }
        return Math.abs(a - e) <= bound(e, tol);
    }

    private static double bound(double expected, double tol) {
        return tol * Math.max(1, Math.abs(expected));
    }

    private static int[] index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    private static String name(Layer layer) {
        String s = layer.getClass().getSimpleName();
        return s.isEmpty() ? layer.getClass().getName() : s;
    }

    private static String fmt(double v) {
        return v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
