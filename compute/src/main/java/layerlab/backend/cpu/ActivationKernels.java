package layerlab.backend.cpu;

/**
 * Elementwise activations on flat arrays, forward and backward side by side.
 *
 * <p>Every method takes (out…, in…, sizes…) in llm.c's order; backward methods take
 * (dIn…, dOut, what forward kept…). These are the reference loops: readable first.
 * The build compiles this file a second time in double precision as {@code ActivationKernels64}
 * for the gradient checks (see compute/pom.xml), so use only float, Float.* and Math here.
 */
public final class ActivationKernels {
    private ActivationKernels() {}

    // ReLU(x) = max(0, x)

    /** y[i] = max(0, x[i]). */
    public static void reluForward(float[] y, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /** dx[i] = dy[i] where x[i] > 0, else 0 (the subgradient at 0 is 0, as in PyTorch). */
    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }
}
