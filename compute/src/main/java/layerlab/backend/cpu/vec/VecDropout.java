package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;
import layerlab.tensor.Rng;

/**
 * The fast twin of {@code DropoutKernels}' draw: Rng's counter-based SplitMix64 finalizer on a
 * vector of indices (64-bit lanes), and the test u ≤ keep done on the integer: u = (h + 1)·2⁻²⁴
 * with h = bits &gt;&gt;&gt; 40, so u ≤ keep ⇔ h &lt; ⌊keep·2²⁴⌋ ({@link Rng#keepThreshold}; exact for
 * every double keep). {@link #mask} writes the mask; {@link #apply} draws it where it applies it,
 * one pass, no mask array (backward draws the same bits again). Bit for bit the scalar draw.
 */
public final class VecDropout {
    private VecDropout() {}

    private static final VectorSpecies<Long> SL = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> SF = VectorSpecies.of(float.class, VectorShape.forBitSize(SL.vectorBitSize() / 2));
    private static final int L = SL.length();
    private static final int CHUNK = 1 << 14;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** mask[i] = 1 if Rng.uniform(stream, i) ≤ keep else 0. */
    public static void mask(float[] mask, long stream, double keep, int n) {
        long t = Rng.keepThreshold(keep);
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 8L * CHUNK, c -> {
            int lo = c * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            LongVector iota = LongVector.zero(SL).addIndex(1);
            FloatVector zero = FloatVector.zero(SF);
            int i = lo;
            for (; i <= hi - L; i += L) {
                zero.blend(1f, kept(iota, i, stream, t)).intoArray(mask, i);
            }
            for (; i < hi; i++) { // the tail
                mask[i] = (Rng.bits(stream, i) >>> 40) < t ? 1f : 0f;
            }
        });
    }

    /** y[i] = x[i]·scale where the draw keeps i, else x[i]·0 (y may be x). */
    public static void apply(float[] y, float[] x, long stream, double keep, float scale, int n) {
        long t = Rng.keepThreshold(keep);
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 6L * CHUNK, c -> {
            int lo = c * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            LongVector iota = LongVector.zero(SL).addIndex(1);
            FloatVector zero = FloatVector.zero(SF);
            int i = lo;
            for (; i <= hi - L; i += L) {
                // x times (scale or 0), as DropoutKernels.apply: a dropped NaN or ±∞ stays NaN
                FloatVector.fromArray(SF, x, i).mul(zero.blend(scale, kept(iota, i, stream, t))).intoArray(y, i);
            }
            for (; i < hi; i++) { // the tail
                y[i] = x[i] * ((Rng.bits(stream, i) >>> 40) < t ? scale : 0f);
            }
        });
    }

    /**
     * Lanes i … i + L − 1 of the draw of stream: kept where (Rng.bits(stream, index) &gt;&gt;&gt; 40) &lt; t
     * (t from {@link Rng#keepThreshold}); iota holds 0, 1, …, L − 1.
     */
    private static VectorMask<Float> kept(LongVector iota, int i, long stream, long t) {
        LongVector z = iota.add(i + 1L).mul(0xD1B54A32D192ED03L).add(stream * GOLDEN);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        return z.lanewise(VectorOperators.LSHR, 40).compare(VectorOperators.LT, t).cast(SF);
    }
}
