package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.DropoutKernels64;
import layerlab.check.GradCheck;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dropout: libtorch draws its masks from another generator, so parity with it means nothing;
 * these tests check the statistics (expectation p·x, from the binomial spread) and the exact
 * mask semantics instead.
 */
class DropoutTest {
    private static final int DRAWS = 4000;

    /**
     * Over K draws element i is kept c_i ~ Binomial(K, p) times, so the mean of the inverted output,
     * x_i·c_i/(K·p), has relative standard deviation σ = sqrt((1 − p)/(p·K)). Every element must
     * be within 5σ (for a fixed seed the test is deterministic; 5σ leaves ~3e-4 chance per 512
     * elements that a different seed would fail), and the pooled kept fraction within 4σ of p.
     */
    @Test
    void invertedTrainingHasExpectationXAndClassicHasExpectationPx() {
        double p = 0.7;
        Tensor x = Tensor.randn(Seed.of(5), 8, 64);
        double[] inverted = meanOver(Dropout.keep(p).withSeed(123), x);
        double[] classic = meanOver(Dropout.keep(p).withScaling(Dropout.Scaling.CLASSIC).withSeed(456), x);
        double sigma = Math.sqrt((1 - p) / (p * DRAWS));
        double worstInv = 0;
        double worstCls = 0;
        for (int i = 0; i < x.numel(); i++) {
            double xi = x.data()[i];
            worstInv = Math.max(worstInv, Math.abs(inverted[i] / xi - 1) / sigma);
            worstCls = Math.max(worstCls, Math.abs(classic[i] / (p * xi) - 1) / sigma);
        }
        System.out.printf("Dropout(keep=%.1f) over %d draws: worst |mean/expected − 1| = %.2fσ inverted, %.2fσ classic (σ = %.2e, bound 5σ)%n",
                p, DRAWS, worstInv, worstCls, sigma);
        assertTrue(worstInv <= 5, "inverted training mean ≠ x: " + worstInv + "σ");
        assertTrue(worstCls <= 5, "classic training mean ≠ p·x: " + worstCls + "σ");

        // CLASSIC test output is exactly p·x: the expectation of its training output
        Dropout classicTest = Dropout.keep(p).withScaling(Dropout.Scaling.CLASSIC);
        classicTest.train(false);
        Tensor y = classicTest.forward(x);
        for (int i = 0; i < x.numel(); i++) {
            assertEquals((float) p * x.data()[i], y.data()[i], 0f);
        }
    }

    @Test
    void keptFractionIsPWithinTheBinomialSpread() {
        for (double p : new double[] {0.1, 0.5, 0.8, 0.95}) {
            Dropout d = Dropout.keep(p).withSeed(9);
            long kept = 0;
            int n = 1 << 16;
            int calls = 16;
            for (int c = 0; c < calls; c++) {
                d.forward(Tensor.ones(n));
                for (float m : d.lastMask().data()) {
                    kept += (long) m;
                }
            }
            double total = (double) n * calls;
            double z = (kept / total - p) / Math.sqrt(p * (1 - p) / total);
            System.out.printf("Dropout(keep=%.2f): kept fraction %.5f over %.0f draws, z = %.2f (bound 4)%n", p, kept / total, total, z);
            assertTrue(Math.abs(z) <= 4, "kept fraction off by " + z + "σ");
        }
    }

    private static double[] meanOver(Dropout d, Tensor x) {
        double[] sum = new double[x.numel()];
        for (int k = 0; k < DRAWS; k++) {
            float[] y = d.forward(x).data();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += y[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= DRAWS;
        }
        return sum;
    }

    @Test
    void inTrainingTheMaskIsUBelowPAndKeptValuesAreScaled() {
        double p = 0.6;
        long seed = 77;
        Tensor x = Tensor.randn(Seed.of(1), 3, 4, 5, 6);
        Dropout d = Dropout.keep(p).withSeed(seed);
        for (int call = 0; call < 3; call++) {
            Tensor y = d.forward(x);
            Tensor mask = d.lastMask();
            long stream = Rng.bits(seed, call);
            int kept = 0;
            for (int i = 0; i < x.numel(); i++) {
                boolean keep = Rng.uniform(stream, i) <= p; // the documented definition
                assertEquals(keep ? 1f : 0f, mask.data()[i], "mask at " + i + " of forward " + call);
                assertEquals(keep ? x.data()[i] * (float) (1 / p) : 0f, y.data()[i], 0f);
                kept += keep ? 1 : 0;
            }
            assertTrue(kept > 0 && kept < x.numel(), "a real mask: " + kept + " of " + x.numel());
            Tensor dy = Tensor.randn(Seed.of(50 + call), x.shape());
            Tensor dx = d.backward(dy);
            for (int i = 0; i < x.numel(); i++) {
                assertEquals(mask.data()[i] * dy.data()[i] * (float) (1 / p), dx.data()[i], 0f, "backward uses forward's mask");
            }
        }
        assertArrayEquals(x.shape(), d.lastMask().shape());
    }

    @Test
    void masksAreNewEachForwardAndReproducibleFromTheSeed() {
        Tensor x = Tensor.ones(2, 4, 8, 8);
        Dropout a = Dropout.keep(0.5).withSeed(2024);
        Dropout b = Dropout.keep(0.5).withSeed(2024);
        Tensor[] first = new Tensor[3];
        for (int c = 0; c < 3; c++) {
            a.forward(x);
            b.forward(x);
            first[c] = a.lastMask();
            assertEquals(first[c], b.lastMask(), "same seed, same forward count → same mask");
        }
        assertNotEquals(first[0], first[1], "a new mask each forward");
        assertNotEquals(first[1], first[2]);
        a.withSeed(2024);
        a.forward(x);
        assertEquals(first[0], a.lastMask(), "withSeed restarts the sequence");
        a.withSeed(2025);
        a.forward(x);
        assertNotEquals(first[0], a.lastMask(), "another seed, another mask");
        // the mask is the same whatever the thread count (counter-based generator)
        Tensor big = Tensor.ones(1 << 18);
        Dropout c1 = Dropout.keep(0.3).withSeed(5);
        c1.forward(big);
        Tensor parallel = c1.lastMask();
        int threads = layerlab.backend.cpu.Parallel.threads();
        try {
            layerlab.backend.cpu.Parallel.setThreads(1);
            c1.withSeed(5).forward(big);
            assertEquals(parallel, c1.lastMask());
        } finally {
            layerlab.backend.cpu.Parallel.setThreads(threads);
        }
    }

    @Test
    void defaultSeedsDifferBetweenLayers() {
        Tensor x = Tensor.ones(1024);
        Dropout a = Dropout.keep(0.5);
        Dropout b = Dropout.keep(0.5);
        assertNotEquals(a.seed(), b.seed());
        a.forward(x);
        b.forward(x);
        assertNotEquals(a.lastMask(), b.lastMask());
    }

    @Test
    void dropQIsKeepOneMinusQ() {
        Tensor x = Tensor.randn(Seed.of(8), 3, 7, 7);
        Dropout pytorch = Dropout.drop(0.3).withSeed(31);
        Dropout lecture = Dropout.keep(1 - 0.3).withSeed(31);
        assertEquals(lecture.keepProbability(), pytorch.keepProbability(), 0.0);
        for (int c = 0; c < 3; c++) {
            assertEquals(lecture.forward(x), pytorch.forward(x));
            assertEquals(lecture.lastMask(), pytorch.lastMask());
        }
        assertEquals("Dropout(drop=0.3)", pytorch.toString());
        assertEquals("Dropout(keep=0.7)", Dropout.keep(0.7).toString());
        assertEquals("Dropout(keep=0.5, scaling=CLASSIC)", Dropout.keep(0.5).withScaling(Dropout.Scaling.CLASSIC).toString());
    }

    @Test
    void testModeInvertedIsTheIdentityAndClassicScalesByP() {
        Tensor x = Tensor.randn(Seed.of(3), 4, 5);
        Tensor dy = Tensor.randn(Seed.of(4), 4, 5);
        Dropout inv = Dropout.keep(0.25);
        inv.train(false);
        assertEquals(x, inv.forward(x), "inverted dropout changes nothing at test time");
        assertEquals(dy, inv.backward(dy));
        assertEquals(Tensor.ones(4, 5), inv.lastMask(), "no neuron is switched off at test time");
        Dropout cls = Dropout.keep(0.25).withScaling(Dropout.Scaling.CLASSIC);
        cls.train(false);
        Tensor y = cls.forward(x);
        Tensor dx = cls.backward(dy);
        for (int i = 0; i < x.numel(); i++) {
            assertEquals(0.25f * x.data()[i], y.data()[i], 0f);
            assertEquals(0.25f * dy.data()[i], dx.data()[i], 0f);
        }
        // back to training: masks again; CLASSIC training does not scale
        cls.train(true);
        assertTrue(cls.training());
        Tensor yt = cls.forward(x);
        for (int i = 0; i < x.numel(); i++) {
            assertEquals(cls.lastMask().data()[i] * x.data()[i], yt.data()[i], 0f);
        }
    }

    @Test
    void classicAndInvertedDrawTheSameMaskFromTheSameSeed() {
        Tensor x = Tensor.randn(Seed.of(6), 256);
        Dropout inv = Dropout.keep(0.8).withSeed(3);
        Dropout cls = Dropout.keep(0.8).withSeed(3).withScaling(Dropout.Scaling.CLASSIC);
        Tensor yi = inv.forward(x);
        Tensor yc = cls.forward(x);
        assertEquals(inv.lastMask(), cls.lastMask());
        for (int i = 0; i < x.numel(); i++) {
            assertEquals(yc.data()[i] * (float) (1 / 0.8), yi.data()[i], 0f, "inverted = classic / p in training");
        }
    }

    @Test
    void keepingEverythingIsTheIdentity() {
        Tensor x = Tensor.randn(Seed.of(7), 2, 3, 4, 4);
        Dropout d = Dropout.keep(1.0);
        assertEquals(x, d.forward(x));
        assertEquals(Tensor.ones(2, 3, 4, 4), d.lastMask());
        assertEquals(x, Dropout.drop(0).forward(x));
    }

    @Test
    void gradientCheckInDoublePrecision() {
        // dropout is linear in x for a fixed mask: the check confirms backward applies mask and scale
        double[] mask = new double[96];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = Rng.uniform(8, i) <= 0.6 ? 1 : 0;
        }
        double[] x = GradCheck.toDouble(Tensor.randn(Seed.of(8), 96).data());
        for (double scale : new double[] {1 / 0.6, 1.0}) {
            GradCheck.Result r = GradCheck.check64(x, in -> {
                double[] y = new double[in.length];
                DropoutKernels64.forward(y, in, mask, scale, in.length);
                return y;
            }, (in, dy) -> {
                double[] dx = new double[in.length];
                DropoutKernels64.backward(dx, dy, mask, scale, in.length);
                return dx;
            }, 6);
            System.out.printf("Dropout gradcheck (float64, scale %.3f): %.2e%n", scale, r.relError());
            assertTrue(r.passes(1e-6), "relError " + r.relError());
        }
        GradCheck.Result r = GradCheck.check64(x, in -> {
            double[] y = new double[in.length];
            DropoutKernels64.scale(y, in, 0.6, in.length);
            return y;
        }, (in, dy) -> {
            double[] dx = new double[in.length];
            DropoutKernels64.scale(dx, dy, 0.6, in.length);
            return dx;
        }, 6);
        System.out.printf("Dropout test-time gradcheck (float64): %.2e%n", r.relError());
        assertTrue(r.passes(1e-6), "relError " + r.relError());
    }

    @Test
    void aFrozenMaskLetsALabRunTheFloatGradientCheck() {
        Tensor x = Tensor.randn(Seed.of(12), 4, 16);
        var frozen = GradCheck.check(Dropout.keep(0.6).withSeed(1).withMaskFrozen(true), x, 2);
        var moving = GradCheck.check(Dropout.keep(0.6).withSeed(1), x, 2);
        System.out.println("Dropout float32 layer check: frozen mask " + frozen + ", new mask each forward " + moving);
        assertTrue(frozen.get("input") < 1e-3, frozen.toString());
        assertTrue(moving.get("input") > 0.5, "a new mask each forward breaks finite differences: " + moving);
        Dropout d = Dropout.keep(0.5).withSeed(4).withMaskFrozen(true);
        d.forward(x);
        Tensor m = d.lastMask();
        d.forward(x);
        assertEquals(m, d.lastMask());
        d.withMaskFrozen(false).forward(x);
        assertNotEquals(m, d.lastMask(), "unfreezing moves on");
    }

    @Test
    void probabilitiesOutsideTheirRangeAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dropout.keep(0));
        assertEquals("Dropout(keep=0.0): expected keep probability p in (0, 1], got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dropout.keep(1.5));
        assertEquals("Dropout(keep=1.5): expected keep probability p in (0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dropout.keep(-0.2));
        assertEquals("Dropout(keep=-0.2): expected keep probability p in (0, 1], got -0.2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dropout.keep(Double.NaN));
        assertEquals("Dropout(keep=NaN): expected keep probability p in (0, 1], got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dropout.drop(1));
        assertEquals("Dropout(drop=1.0): expected drop probability q in [0, 1) (PyTorch's p; the keep probability is 1 − q), got 1.0",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dropout.drop(-0.1));
        assertTrue(e.getMessage().startsWith("Dropout(drop=-0.1): expected drop probability q in [0, 1)"), e.getMessage());
    }

    @Test
    void backwardBeforeForwardAndWrongDOut() {
        Dropout d = Dropout.keep(0.5);
        var s = assertThrows(IllegalStateException.class, () -> d.backward(Tensor.ones(3)));
        assertEquals("Dropout(keep=0.5): backward called before forward", s.getMessage());
        assertNull(d.lastMask());
        d.forward(Tensor.ones(2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> d.backward(Tensor.ones(3, 2)));
        assertEquals("Dropout(keep=0.5): expected dOut of shape [2, 3], got shape [3, 2]", e.getMessage());
        assertArrayEquals(new int[] {2, 3}, d.outputShape(new int[] {2, 3}));
    }
}
