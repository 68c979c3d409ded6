package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import layerlab.backend.Backends;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dropout with the mask drawn where it is applied (CpuBackend.dropoutApply, vector and scalar)
 * against the two-step path it replaces — draw the mask, then apply it: identical bits, for keep
 * probabilities that are and are not floats, and lengths with a tail.
 */
@ExtendWith(SimdParity.class)
class SimdDropoutApplyParityTest {
    @ParameterizedTest(name = "n={0} keep={1}")
    @CsvSource({"100000,0.5", "16387,0.8", "9,0.3", "50001,0.1", "40000,1.0", "30001,0.7000000000000001"})
    void theDrawAppliedIsTheMaskDrawnThenApplied(int n, double keep) {
        Tensor x = Tensor.randn(Seed.of(3), n);
        long stream = Rng.bits(42, 7);
        float scale = (float) (1 / keep);
        var cpu = Backends.of(Device.CPU);
        Tensor mask = Tensor.zeros(n);
        Simd.setEnabled(false);
        cpu.dropoutMask(mask, stream, keep);
        Tensor expected = Tensor.zeros(n);
        cpu.dropoutForward(expected, x, mask, scale);
        for (boolean simd : new boolean[] {false, true}) {
            Simd.setEnabled(simd);
            Tensor y = Tensor.empty(n);
            cpu.dropoutApply(y, x, stream, keep, scale);
            assertArrayEquals(expected.data(), y.data(), 0f, "simd=" + simd);
        }
        int kept = 0;
        for (float m : mask.data()) {
            kept += (int) m;
        }
        System.out.printf("dropoutApply n=%d keep=%s: identical to mask+apply, kept %.4f%n", n, keep, kept / (double) n);
    }
}
