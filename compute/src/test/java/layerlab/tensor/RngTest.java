package layerlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import layerlab.backend.cpu.Parallel;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomness: a value depends on (seed, index) only, so a parallel fill equals a
 * sequential one, and the distributions have the stated moments.
 */
class RngTest {
    private static final int N = 1 << 18; // big enough that Parallel.forRange really forks

    @Test
    void sameSeedSameValuesAcrossCalls() {
        assertEquals(Tensor.randn(Seed.of(7), 3, 4, 5), Tensor.randn(Seed.of(7), 3, 4, 5));
        assertEquals(Tensor.rand(Seed.of(7), 60), Tensor.rand(Seed.of(7), 60));
        assertFalse(Tensor.randn(Seed.of(7), 60).equals(Tensor.randn(Seed.of(8), 60)), "another seed, other values");
        // the shape does not enter: the same seed fills the same flat sequence
        assertArrayEquals(Tensor.randn(Seed.of(3), 60).data(), Tensor.randn(Seed.of(3), 3, 4, 5).data());
    }

    @Test
    void parallelFillEqualsSequentialFillWhateverTheThreadCount() {
        int before = Parallel.threads();
        try {
            float[] sequential = Tensor.randn(Seed.of(11), N).data();
            for (int threads : new int[] {1, 2, 4, 7}) {
                Parallel.setThreads(threads);
                float[] parallel = new float[N];
                int chunk = 4096;
                // chunks handed out in any order, on any worker
                Parallel.forRange(N / chunk, 1L << 14, c -> {
                    for (int i = c * chunk; i < (c + 1) * chunk; i++) {
                        parallel[i] = Rng.normal(11, i);
                    }
                });
                assertArrayEquals(sequential, parallel, threads + " threads");
            }
            // and a reversed walk gives the same as a forward one
            float[] reversed = new float[1000];
            for (int i = 999; i >= 0; i--) {
                reversed[i] = Rng.uniform(5, i);
            }
            assertArrayEquals(Tensor.rand(Seed.of(5), 1000).data(), reversed);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void randnHasMeanZeroAndStdOne() {
        // For N = 2^18 standard normals the sample mean has std 1/√N ≈ 0.002 and the sample std
        // has std ≈ 1/√(2N) ≈ 0.0014; the tolerances are 5 of those.
        float[] v = Tensor.randn(Seed.of(2024), N).data();
        double mean = Arrays.stream(toDouble(v)).average().orElseThrow();
        double var = Arrays.stream(toDouble(v)).map(x -> (x - mean) * (x - mean)).sum() / (N - 1);
        System.out.printf("randn(2^18): mean %.5f, std %.5f%n", mean, Math.sqrt(var));
        assertEquals(0.0, mean, 0.01);
        assertEquals(1.0, Math.sqrt(var), 0.007);
        long within1 = Arrays.stream(toDouble(v)).filter(x -> Math.abs(x) < 1).count();
        assertEquals(0.6827, within1 / (double) N, 0.005, "fraction within one std");
        assertTrue(Arrays.stream(toDouble(v)).allMatch(Double::isFinite));
    }

    @Test
    void randIsUniformOnZeroOneExcludingZero() {
        float[] v = Tensor.rand(Seed.of(99), N).data();
        double mean = 0;
        double min = 1;
        double max = 0;
        for (float x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= N;
        // uniform: mean 1/2 with std 1/√(12N) ≈ 0.00056
        assertEquals(0.5, mean, 0.003);
        assertTrue(min > 0 && max <= 1, "range (" + min + ", " + max + "]");
        int[] deciles = new int[10];
        for (float x : v) {
            deciles[Math.min(9, (int) (x * 10))]++;
        }
        for (int d : deciles) {
            assertEquals(N / 10.0, d, N / 10.0 * 0.03, "decile counts " + Arrays.toString(deciles));
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
