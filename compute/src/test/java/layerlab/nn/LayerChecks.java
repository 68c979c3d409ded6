package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.function.Executable;

/** Shared steps of the activation / linear / softmax tests; each prints the worst difference it saw. */
final class LayerChecks {
    private LayerChecks() {}

    /** Double-precision gradient check, asserted ≤ 1e-6 and printed. */
    static void grad64(String what, double[] x, GradCheck.Forward64 f, GradCheck.Backward64 b) {
        GradCheck.Result r = GradCheck.check64(x, f, b, 11);
        System.out.printf("%-50s gradcheck float64 relError %.2e (bound 1e-6)%n", what, r.relError());
        assertTrue(r.passes(1e-6), what + ": gradcheck relError " + r.relError() + " > 1e-6");
    }

    /** n standard normal values times scale, in double. */
    static double[] randn64(long seed, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * Rng.normal(seed, i);
        }
        return x;
    }

    /** Moves every value at least {@code margin} away from 0 (keeps central differences off a kink). */
    static double[] awayFromZero(double[] x, double margin) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += y[i] >= 0 ? margin : -margin;
        }
        return y;
    }

    /** A float tensor of normal values times scale. */
    static Tensor randn(long seed, float scale, int... shape) {
        Tensor t = Tensor.randn(Seed.of(seed), shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        return t;
    }

    /** An elementwise layer against a libtorch op: forward and dX, with an upstream gradient dY. */
    static void parity(String name, Layer layer, UnaryOperator<NDArray> op, Tensor x, double bound) {
        Tensor dy = Tensor.randn(Seed.of(99), x.shape());
        Tensor y = layer.forward(x);
        Tensor dx = layer.backward(dy);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray ty = op.apply(tx);
            gc.backward(ty.mul(t.of(dy)).sum());
            String shape = java.util.Arrays.toString(x.shape());
            Compare.assertClose(name + " forward " + shape, Torch.tensor(ty), y, bound);
            Compare.assertClose(name + " dX " + shape, Torch.grad(tx), dx, bound);
        }
    }

    /** The call throws this exception type with exactly this message. */
    static <T extends Throwable> void fails(Class<T> type, String message, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
    }

    static double[] d(float[] a) {
        return GradCheck.toDouble(a);
    }
}
