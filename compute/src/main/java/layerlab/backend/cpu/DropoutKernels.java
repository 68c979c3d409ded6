package layerlab.backend.cpu;

/**
 * Dropout on flat arrays: apply a 0/1 mask and a scale, forward and backward.
 *
 * <p>The mask itself is drawn by {@code layerlab.nn.Dropout} (it defines which neurons are
 * switched off); these loops only apply it. Backward multiplies by the same mask and scale, so
 * a dropped neuron passes no gradient. Compiled again in double precision as
 * {@code DropoutKernels64} (see compute/pom.xml): only primitives, arrays, Math and Parallel.
 */
public final class DropoutKernels {
    private DropoutKernels() {}

    /** Elements per parallel chunk: dropout is one multiply per element. */
    private static final int CHUNK = 1 << 14;

    /** y[i] = x[i] · mask[i] · scale (mask[i] ∈ {0, 1}). */
    public static void forward(float[] y, float[] x, float[] mask, float scale, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] * mask[i] * scale;
            }
        });
    }

    /** dx[i] = dy[i] · mask[i] · scale: the kept neurons pass the gradient, scaled as forward did. */
    public static void backward(float[] dx, float[] dy, float[] mask, float scale, int n) {
        forward(dx, dy, mask, scale, n);
    }

    /** y[i] = x[i] · scale: dropout at test time (scale 1 inverted, p classic), forward and backward. */
    public static void scale(float[] y, float[] x, float scale, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] * scale;
            }
        });
    }
}
