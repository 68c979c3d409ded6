package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.function.Supplier;
import layerlab.backend.Backends;
import layerlab.backend.cpu.Simd;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

/** What the NaN/±∞ tests share: the three paths, inputs with non-finite values, the comparison. */
final class NonFinite {
    private NonFinite() {}

    /** Where a layer runs: the CPU's Vector API paths, the CPU's scalar reference loops, OpenCL (PoCL here). */
    enum Path { SIMD, SCALAR, OPENCL }

    static final float NAN = Float.NaN;
    static final float INF = Float.POSITIVE_INFINITY;

    /** Runs {@code body} on a path: the Simd switch set for the CPU paths (restored after), OpenCL required. */
    static <T> T on(Path p, Supplier<T> body) {
        if (p == Path.OPENCL) {
            Optional<String> why = Backends.unavailableReason(Device.OPENCL);
            if (why.isPresent()) {
                if (Boolean.getBoolean("layerlab.opencl.optional")) {
                    Assumptions.abort("OpenCL is unavailable: " + why.get() + " (skipped: layerlab.opencl.optional=true)");
                }
                fail("OpenCL is unavailable: " + why.get());
            }
        }
        boolean before = Simd.enabled();
        try {
            if (p != Path.OPENCL) {
                assertTrue(p == Path.SCALAR || Simd.available(), "the Vector API module is needed for the SIMD path");
                Simd.setEnabled(p == Path.SIMD);
            }
            return body.get();
        } finally {
            if (Simd.available()) {
                Simd.setEnabled(before);
            }
        }
    }

    /** A copy of {@code t} where the path runs (a device tensor for OPENCL). */
    static Tensor place(Path p, Tensor t) {
        return p == Path.OPENCL ? t.to(Device.OPENCL) : t.copy();
    }

    static Tensor host(Tensor t) {
        return t.to(Device.CPU);
    }

    /**
     * Normal values (times {@code scale}) with NaN, +∞ and −∞ in turn at about {@code density} of
     * the positions and at every position listed in {@code at} (as value, flat index pairs).
     */
    static Tensor specials(long seed, float scale, double density, int[] shape, float... at) {
        Tensor t = Tensor.randn(Seed.of(seed), shape);
        float[] d = t.data();
        float[] kinds = {NAN, INF, -INF};
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
            if (Rng.uniform(seed + 1, i) < density) {
                d[i] = kinds[k++ % 3];
            }
        }
        for (int i = 0; i < at.length; i += 2) {
            d[(int) at[i + 1]] = at[i];
        }
        return t;
    }

    /**
     * NaN exactly where libtorch has NaN, the same infinity where it has one, and the finite
     * values within {@code bound} of max(1, |expected|); prints how many of each it compared.
     */
    static void assertSame(String what, Tensor expected, Tensor actual, double bound) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        int nans = 0;
        int infs = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) || Float.isNaN(a[i])) {
                assertTrue(Float.isNaN(e[i]) && Float.isNaN(a[i]), what + ": at " + i + " libtorch " + e[i] + ", got " + a[i]);
                nans++;
            } else if (Float.isInfinite(e[i]) || Float.isInfinite(a[i])) {
                assertTrue(e[i] == a[i], what + ": at " + i + " libtorch " + e[i] + ", got " + a[i]);
                infs++;
            } else {
                worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
            }
        }
        System.out.printf("%-58s NaN %d, ±inf %d, finite %d worst %.1e%n", what, nans, infs, e.length - nans - infs, worst);
        double w = worst;
        assertTrue(w <= bound, () -> what + ": finite values differ by " + w + " > " + bound);
    }

    /**
     * The weaker form for an infinite upstream gradient into a norm: non-finite exactly where
     * libtorch is non-finite, the finite values within {@code bound}. Which of NaN and ±∞ an
     * element gets there depends on how the backward formula is arranged (libtorch's layer and
     * group norm compute dx = c1·dy + c2·x + c3, the lecture's form rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))).
     */
    static void assertNonFiniteWhere(String what, Tensor expected, Tensor actual, double bound) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        int nonFinite = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            assertTrue(Float.isFinite(e[i]) == Float.isFinite(a[i]), what + ": at " + i + " libtorch " + e[i] + ", got " + a[i]);
            if (Float.isFinite(e[i])) {
                worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
            } else {
                nonFinite++;
            }
        }
        System.out.printf("%-58s non-finite %d, finite %d worst %.1e%n", what, nonFinite, e.length - nonFinite, worst);
        double w = worst;
        assertTrue(w <= bound, () -> what + ": finite values differ by " + w + " > " + bound);
    }
}
