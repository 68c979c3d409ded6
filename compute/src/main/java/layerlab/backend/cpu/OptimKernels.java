package layerlab.backend.cpu;

/**
 * One optimizer step on a parameter's flat values, as SGD and Adam define it (the loops moved
 * here from layerlab.optim so that every backend runs the same update). Compiled again in double
 * precision as {@code OptimKernels64} (see compute/pom.xml).
 */
@SuppressWarnings("cast") // in the float64 twin the (float) casts become redundant
public final class OptimKernels {
    private OptimKernels() {}

    /** SGD with momentum (PyTorch's form): g = dp + wd·p; v ← μ·v + g; p ← p − lr·v. */
    public static void sgdStep(float[] p, float[] dp, float[] v, float lr, float momentum, float weightDecay, int n) {
        for (int i = 0; i < n; i++) {
            float g = dp[i] + weightDecay * p[i];
            v[i] = momentum * v[i] + g;
            p[i] -= lr * v[i];
        }
    }

    /**
     * Adam in double arithmetic per element: g = dp + wd·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
     * p ← p − stepSize·m / (√v / √c₂ + ε) with stepSize = lr / c₁, c = 1 − βᵗ (PyTorch's form).
     */
    public static void adamStep(float[] p, float[] dp, float[] m, float[] v, double beta1, double beta2,
                                double stepSize, double sqrtCorrection2, double eps, double weightDecay, int n) {
        for (int i = 0; i < n; i++) {
            double g = dp[i] + weightDecay * p[i];
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
            v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
            p[i] = (float) (p[i] - stepSize * m[i] / (Math.sqrt(v[i]) / sqrtCorrection2 + eps));
        }
    }
}
