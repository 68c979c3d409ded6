package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;
import layerlab.tensor.Rng;

/**
 * Dropout with the mask drawn where it is applied: y[i] = x[i]·scale if Rng.uniform(stream, i)
 * ≤ keep, else 0 — one pass, no mask array written or read (backward draws the same bits
 * again). The hash is Rng's SplitMix64 finalizer in 64-bit lanes; the test u ≤ keep is done on
 * the integer: u = (h + 1)·2⁻²⁴ with h = bits &gt;&gt;&gt; 40, so u ≤ keep ⇔ h &lt; ⌊keep·2²⁴⌋
 * (exact for every double keep). Bit for bit the scalar draw.
 */
public final class VecDropout {
    private VecDropout() {}

    private static final VectorSpecies<Long> SL = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> SF = VectorSpecies.of(float.class, VectorShape.forBitSize(SL.vectorBitSize() / 2));
    private static final int L = SL.length();
    private static final int CHUNK = 1 << 14;

    /** y[i] = x[i]·scale where the draw keeps i, else 0 (y may be x). */
    public static void apply(float[] y, float[] x, long stream, double keep, float scale, int n) {
        long t = Rng.keepThreshold(keep);
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 6L * CHUNK, c -> {
            int lo = c * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            LongVector iota = LongVector.zero(SL).addIndex(1);
            FloatVector zero = FloatVector.zero(SF);
            int i = lo;
            for (; i <= hi - L; i += L) {
                zero.blend(FloatVector.fromArray(SF, x, i).mul(scale), VecRng.kept(iota, i, stream, t)).intoArray(y, i);
            }
            for (; i < hi; i++) { // the tail
                y[i] = (Rng.bits(stream, i) >>> 40) < t ? x[i] * scale : 0f;
            }
        });
    }
}
