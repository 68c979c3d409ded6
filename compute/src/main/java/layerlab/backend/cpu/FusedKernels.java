package layerlab.backend.cpu;

/**
 * Fused inference loops (see {@code layerlab.nn.Fused}): one pass where the layers would make
 * two. Compiled again in double precision as {@code FusedKernels64} (compute/pom.xml).
 */
public final class FusedKernels {
    private FusedKernels() {}

    /**
     * y = max(0, (x − mean[c])·(γ[c]·rstd[c]) + β[c]) over x (N, C, S): batch norm with fixed
     * statistics and ReLU in one pass, the same arithmetic as batchNormForward then reluForward.
     */
    public static void batchNormReluForward(float[] y, float[] x, float[] mean, float[] rstd,
                                            float[] gamma, float[] beta, int n, int c, int s) {
        Parallel.forRange(n * c, s, nc -> {
            int ch = nc % c;
            int off = nc * s;
            float m = mean[ch];
            float scale = gamma[ch] * rstd[ch];
            float shift = beta[ch];
            for (int i = 0; i < s; i++) {
                float v = (x[off + i] - m) * scale + shift;
                y[off + i] = v <= 0f ? 0f : v; // NaN stays NaN, as in reluForward
            }
        });
    }
}
