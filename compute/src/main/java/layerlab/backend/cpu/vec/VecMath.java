package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Small vector helpers shared by the fast paths: sums and axpy-like loops over array ranges. */
public final class VecMath {
    private VecMath() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** Σ a[off … off+n) in float lanes, the lanes added in double at the end. */
    public static double sum(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + L));
        }
        double s = acc0.add(acc1).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** dst[d … d+n) += src[s … s+n). */
    public static void addInto(float[] dst, int d, float[] src, int s, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }
}
