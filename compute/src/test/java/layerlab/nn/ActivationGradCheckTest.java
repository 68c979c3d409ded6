package layerlab.nn;

import java.util.function.BiConsumer;
import layerlab.backend.cpu.ActivationKernels64;
import layerlab.backend.cpu.LinearKernels64;
import layerlab.check.GradCheck;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every activation's backward against central differences of its forward, in double precision
 * (the *Kernels64 twins of the very loops the layers run), relError ≤ 1e-6.
 */
class ActivationGradCheckTest {
    /** Elementwise kernel pair as y = f(x), dx = f'(x)·dy. */
    private interface Fwd {
        void run(double[] y, double[] x, int n);
    }

    private interface Bwd {
        void run(double[] dx, double[] dy, double[] kept, int n);
    }

    private static void elementwise(String what, double[] x, Fwd f, Bwd b, boolean keepsOutput) {
        LayerChecks.grad64(what, x, in -> {
            double[] y = new double[in.length];
            f.run(y, in, in.length);
            return y;
        }, (in, dy) -> {
            double[] kept = in;
            if (keepsOutput) {
                kept = new double[in.length];
                f.run(kept, in, in.length);
            }
            double[] dx = new double[in.length];
            b.run(dx, dy, kept, in.length);
            return dx;
        });
    }

    @Test
    void sigmoidTanhGeluSilu() {
        double[] x = LayerChecks.randn64(1, 97, 2.5);
        elementwise("Sigmoid", x, ActivationKernels64::sigmoidForward, ActivationKernels64::sigmoidBackward, true);
        elementwise("Tanh", x, ActivationKernels64::tanhForward, ActivationKernels64::tanhBackward, true);
        elementwise("SiLU", x, ActivationKernels64::siluForward, ActivationKernels64::siluBackward, false);
        // |x| ≲ 4.5 here; the far tails, where GELU' ~ 1e-10, are checked one point at a time below
        elementwise("GELU (erf form), random", LayerChecks.randn64(3, 97, 1.5), ActivationKernels64::geluForward, ActivationKernels64::geluBackward, false);
    }

    @Test
    void geluAcrossBothErfBranchesOnePointAtATime() {
        // x in [−7, 7]: erf's series below |x| = 2.5·√2 ≈ 3.54, its continued fraction above.
        // NOTE: one point per check. In the tail GELU'(x) is ~1e-10; checked together with
        // O(1) outputs, the loss's rounding (~1e-16·|L|/h) would swamp it. Alone it does not.
        double worst = 0;
        double at = 0;
        for (int i = 0; i <= 140; i++) {
            double[] x = {-7 + 0.1 * i + 0.013};
            GradCheck.Result r = GradCheck.check64(x, in -> {
                double[] y = new double[1];
                ActivationKernels64.geluForward(y, in, 1);
                return y;
            }, (in, dy) -> {
                double[] dx = new double[1];
                ActivationKernels64.geluBackward(dx, dy, in, 1);
                return dx;
            }, 11 + i);
            if (r.relError() > worst) {
                worst = r.relError();
                at = x[0];
            }
        }
        System.out.printf("%-50s gradcheck float64 relError %.2e at x = %.3f (bound 1e-6)%n", "GELU (erf form), x in [-7, 7]",
                worst, at);
        assertTrue(worst <= 1e-6, "GELU gradcheck relError " + worst + " at x = " + at);
    }

    @Test
    void leakyReluAndEluAwayFromTheKink() {
        double[] x = LayerChecks.awayFromZero(LayerChecks.randn64(2, 97, 2), 0.01);
        elementwise("LeakyReLU(0.1)", x, (y, in, n) -> ActivationKernels64.leakyReluForward(y, in, 0.1, n),
                (dx, dy, in, n) -> ActivationKernels64.leakyReluBackward(dx, dy, in, 0.1, n), false);
        elementwise("ELU(1.3)", x, (y, in, n) -> ActivationKernels64.eluForward(y, in, 1.3, n),
                (dx, dy, in, n) -> ActivationKernels64.eluBackward(dx, dy, in, 1.3, n), false);
    }

    @Test
    void preluInputAndAlpha() {
        // shared α on a flat input; per-channel α on (N=2, C=3, 4, 5)
        prelu("PReLU() shared", new double[] {0.3}, 1, 1, 60, 3);
        prelu("PReLU(3) per channel", new double[] {0.3, -0.2, 0.7}, 2, 3, 20, 4);
    }

    private static void prelu(String what, double[] alpha, int outer, int channels, int inner, long seed) {
        double[] x = LayerChecks.awayFromZero(LayerChecks.randn64(seed, outer * channels * inner, 1.5), 0.01);
        LayerChecks.grad64(what + " dX", x, in -> {
            double[] y = new double[in.length];
            ActivationKernels64.preluForward(y, in, alpha, outer, channels, inner);
            return y;
        }, (in, dy) -> {
            double[] dx = new double[in.length];
            ActivationKernels64.preluBackward(dx, new double[channels], dy, in, alpha, outer, channels, inner);
            return dx;
        });
        LayerChecks.grad64(what + " dAlpha", alpha, a -> {
            double[] y = new double[x.length];
            ActivationKernels64.preluForward(y, x, a, outer, channels, inner);
            return y;
        }, (a, dy) -> {
            double[] dalpha = new double[channels];
            ActivationKernels64.preluBackward(new double[x.length], dalpha, dy, x, a, outer, channels, inner);
            return dalpha;
        });
    }

    @Test
    void maxoutChannelGroups() {
        // (N=2, C=6, 5), k=3. Distinct values 0.05 apart: no near-tie within the ±2h stencil.
        int outer = 2;
        int channels = 6;
        int k = 3;
        int inner = 5;
        int n = outer * channels * inner;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.05 * ((i * 37) % n) - 1.5; // 37 is coprime to 60: a permutation of the grid
        }
        int[] piece = new int[n / k];
        LayerChecks.grad64("Maxout(k=3)", x, in -> {
            double[] y = new double[n / k];
            ActivationKernels64.maxoutForward(y, piece, in, outer, channels, k, inner);
            return y;
        }, (in, dy) -> {
            double[] y = new double[n / k];
            ActivationKernels64.maxoutForward(y, piece, in, outer, channels, k, inner);
            double[] dx = new double[n];
            ActivationKernels64.maxoutBackward(dx, dy, piece, outer, channels, k, inner);
            return dx;
        });
    }

    @Test
    void affineMaxoutInFloat32ForLabs() {
        // The slide's form end to end (Linear then max per group), through the float32 layer check.
        Maxout m = Maxout.affine(3, 2, 2, 50);
        Tensor x = LayerChecks.randn(22, 1f, 4, 3);
        // Precondition: in every group the two pieces differ by > 0.1, so no ±h step flips a winner.
        float[] pieces = new Linear(3, 4, 50).forward(x).data(); // the same weights as m's
        for (int i = 0; i < pieces.length; i += 2) {
            assertTrue(Math.abs(pieces[i] - pieces[i + 1]) > 0.1, "near-tie in group " + i / 2);
        }
        var errors = GradCheck.check(m, x, 23);
        System.out.println("Maxout.affine float32 layer check: " + errors);
        errors.forEach((name, err) -> assertTrue(err < 1e-2, name + " " + err));
        // and in double precision through the two twin kernels it is made of
        double[] a = LayerChecks.d(m.parameters().get(0).value().data());
        double[] b = LayerChecks.d(m.parameters().get(1).value().data());
        BiConsumer<double[], double[]> fwd = (z, in) -> LinearKernels64.linearForward(z, new double[12], in, a, b, 4, 3, 4);
        int[] piece = new int[8];
        LayerChecks.grad64("Maxout.affine(3, 2, k=2) dX", LayerChecks.d(x.data()), in -> {
            double[] z = new double[16];
            fwd.accept(z, in);
            double[] y = new double[8];
            ActivationKernels64.maxoutForward(y, piece, z, 4, 4, 2, 1);
            return y;
        }, (in, dy) -> {
            double[] z = new double[16];
            fwd.accept(z, in);
            ActivationKernels64.maxoutForward(new double[8], piece, z, 4, 4, 2, 1);
            double[] dz = new double[16];
            ActivationKernels64.maxoutBackward(dz, dy, piece, 4, 4, 2, 1);
            double[] dx = new double[12];
            LinearKernels64.linearBackward(dx, new double[12], new double[4], dz, in, a, 4, 3, 4);
            return dx;
        });
    }
}
