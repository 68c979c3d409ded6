package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.Pointwise;
import layerlab.backend.cpu.vec.VecActivation;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The accuracy VecSmoothActivation's Javadoc states: GELU and SiLU forward and backward on a
 * sweep of 1e6 + 1 points over [−10, 10] against the float64 twin of the reference loops
 * (ActivationKernels64, exact to ~1e-15): max |fast − exact| / max(1, |exact|) ≤ 1e-6. Also
 * printed: the largest relative error where |exact| ≥ 1e-3.
 */
@ExtendWith(SimdParity.class)
class SimdGeluSiluAccuracyTest {
    @ParameterizedTest
    @EnumSource(value = Pointwise.class, names = {"GELU", "SILU"})
    void sweepAgainstTheFloat64Loops(Pointwise f) {
        int n = 1_000_001;
        float[] x = new float[n];
        double[] xd = new double[n];
        float[] ones = new float[n];
        double[] onesD = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -10f + 20f * i / (n - 1);
            xd[i] = x[i];
            ones[i] = 1f;
            onesD[i] = 1;
        }
        float[] y = new float[n];
        float[] dx = new float[n];
        double[] yd = new double[n];
        double[] dxd = new double[n];
        VecActivation.forward(f, y, x, 0f, n);
        VecActivation.backward(f, dx, ones, x, 0f, n);
        ActivationKernels64.forward(f, yd, xd, 0, n);
        ActivationKernels64.backward(f, dxd, onesD, xd, 0, n);
        check(f + " forward", yd, y);
        check(f + " backward", dxd, dx);
    }

    private static void check(String what, double[] exact, float[] fast) {
        double worst = 0;
        double worstRel = 0;
        for (int i = 0; i < exact.length; i++) {
            double d = Math.abs(exact[i] - fast[i]);
            worst = Math.max(worst, d / Math.max(1, Math.abs(exact[i])));
            if (Math.abs(exact[i]) >= 1e-3) {
                worstRel = Math.max(worstRel, d / Math.abs(exact[i]));
            }
        }
        System.out.printf("%s over [-10, 10]: max |err| / max(1, |exact|) = %.2e; max relative where |exact| >= 1e-3: %.2e%n",
                what, worst, worstRel);
        assertTrue(worst <= 1e-6, what + ": " + worst);
    }
}
