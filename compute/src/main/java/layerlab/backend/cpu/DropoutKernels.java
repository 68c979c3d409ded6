package layerlab.backend.cpu;

import layerlab.tensor.Rng;

/**
 * Dropout on flat arrays: draw the mask, apply it and a scale, forward and backward.
 *
 * <p>Neuron i is kept when {@code Rng.uniform(stream, i) ≤ keep}: the counter-based draw
 * {@code layerlab.nn.Dropout} defines, the same on every backend. {@link #mask} writes it out as
 * 0/1; {@link #apply} draws it where it applies it (no mask array), forward and again in
 * backward. Backward multiplies by the same mask and scale, so a dropped neuron passes no
 * gradient. Compiled again in double precision as {@code DropoutKernels64} (see this package's
 * documentation): only primitives, arrays, Math, Rng and Parallel.
 */
public final class DropoutKernels {
    private DropoutKernels() {}

    /** Elements per parallel chunk: dropout is one multiply per element. */
    private static final int CHUNK = 1 << 14;

    /** mask[i] = 1 if Rng.uniform(stream, i) ≤ keep, else 0. */
    public static void mask(float[] mask, long stream, double keep, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 4L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                mask[i] = Rng.uniform(stream, i) <= keep ? 1f : 0f;
            }
        });
    }

    /**
     * y[i] = x[i] · (scale if Rng.uniform(stream, i) ≤ keep, else 0): the mask of {@link #mask},
     * drawn here. NOTE: multiplied, not chosen: a dropped NaN or ±∞ gives NaN, as x·mask·scale does.
     */
    public static void apply(float[] y, float[] x, long stream, double keep, float scale, int n) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 4L * CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                y[i] = x[i] * (Rng.uniform(stream, i) <= keep ? scale : 0f);
            }
        });
    }

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
