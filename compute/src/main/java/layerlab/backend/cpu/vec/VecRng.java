package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The dropout mask of {@code layerlab.nn.Dropout} in vectors: Rng's counter-based SplitMix64
 * finalizer on a vector of indices (64-bit lanes), the same 24-bit uniform, the same test
 * u ≤ p: bit for bit the scalar mask.
 */
public final class VecRng {
    private VecRng() {}

    private static final VectorSpecies<Long> SL = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> SF = VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(SL.vectorBitSize() / 2));
    private static final int L = SL.length();
    private static final int CHUNK = 1 << 14;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** mask[i] = 1 if uniform(stream, i) ≤ p else 0 (see Rng.uniform). */
    public static void dropoutMask(float[] mask, long stream, double p) {
        int n = mask.length;
        float keep = (float) p;
        boolean exact = keep == p;
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 8L * CHUNK, c -> {
            int lo = c * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            long[] lanes = new long[L];
            for (int j = 0; j < L; j++) {
                lanes[j] = j;
            }
            LongVector iota = LongVector.fromArray(SL, lanes, 0);
            long seedTerm = stream * GOLDEN;
            int i = lo;
            if (exact) {
                for (; i <= hi - L; i += L) {
                    LongVector z = iota.add(i + 1L).mul(0xD1B54A32D192ED03L).add(seedTerm);
                    z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                    z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                    z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                    FloatVector u = ((FloatVector) z.lanewise(VectorOperators.LSHR, 40).add(1L)
                            .convertShape(VectorOperators.L2F, SF, 0)).mul(0x1.0p-24f);
                    FloatVector.zero(SF).blend(1f, u.compare(VectorOperators.LE, keep)).intoArray(mask, i);
                }
            }
            for (; i < hi; i++) { // the tail, and p not a float (the scalar compares in double)
                mask[i] = layerlab.tensor.Rng.uniform(stream, i) <= p ? 1f : 0f;
            }
        });
    }
}
