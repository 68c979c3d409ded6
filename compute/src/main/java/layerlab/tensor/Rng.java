package layerlab.tensor;

/**
 * Counter-based random numbers: the value at position {@code index} of stream {@code seed}
 * depends on (seed, index) alone, so a tensor or a dropout mask is the same whatever the
 * thread count or the device that fills it. The mixer is SplitMix64's finalizer.
 *
 * <p>The OpenCL kernels carry the same three functions, bit for bit.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {}

    /** 64 well-mixed bits for (seed, index). */
    public static long bits(long seed, long index) {
        long z = seed * GOLDEN + (index + 1) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in (0, 1]: 24 random bits, never exactly 0 (so log is safe). */
    public static float uniform(long seed, long index) {
        return ((bits(seed, index) >>> 40) + 1) * 0x1.0p-24f;
    }

    /**
     * The integer form of the dropout test u ≤ keep for u = uniform(seed, index): with
     * h = bits(seed, index) &gt;&gt;&gt; 40, u = (h + 1)·2⁻²⁴, so u ≤ keep ⇔ h &lt; ⌊keep·2²⁴⌋, exactly,
     * for every double keep. Vector and device kernels compare integers with this threshold.
     */
    public static long keepThreshold(double keep) {
        return (long) Math.floor(keep * 0x1p24);
    }

    /**
     * Standard normal by Box–Muller on the uniforms at 2·index and 2·index+1, computed in double
     * and rounded once, so the value is the same on every JVM.
     */
    public static float normal(long seed, long index) {
        double u1 = uniform(seed, 2 * index);
        double u2 = uniform(seed, 2 * index + 1);
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }
}
