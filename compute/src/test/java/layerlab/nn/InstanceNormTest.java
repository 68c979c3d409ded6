package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * InstanceNorm = GroupNorm with C groups. Oracles as in {@link GroupNormTest}: libtorch's batch norm
 * on the (1, N·C, rest) view (DJL has no instance_norm) and the slide's formula in double precision.
 */
class InstanceNormTest {
    @Test
    void matchesLibtorchAndTheFormulaWithoutAffine() {
        for (int[] shape : new int[][] {{3, 4, 5, 7}, {2, 3, 9}, {2, 3, 2, 3, 4}, {1, 2, 3, 3}}) {
            InstanceNorm in = new InstanceNorm(shape[1]);
            assertEquals(0, in.parameters().size(), "affine is off by default");
            GroupNormTest.parity("IN " + Arrays.toString(shape), in, shape[1], Tensor.randn(Seed.of(shape[0] + 50), shape),
                    null, null, in::lastMean, in::lastVar, null, null);
        }
    }

    @Test
    void matchesLibtorchAndTheFormulaWithAffine() {
        for (int[] shape : new int[][] {{3, 4, 5, 7}, {2, 3, 2, 3, 4}}) {
            InstanceNorm in = new InstanceNorm(new InstanceNorm.Config(shape[1], true, 1e-5));
            GroupNormTest.setAffine(in.gamma(), in.beta(), 9);
            GroupNormTest.parity("IN affine " + Arrays.toString(shape), in, shape[1], Tensor.randn(Seed.of(shape[0] + 60), shape),
                    in.gamma(), in.beta(), in::lastMean, in::lastVar,
                    in.parameters().get(0).grad(), in.parameters().get(1).grad());
        }
    }

    @Test
    void statisticsPerSampleAndChannelNoRunningState() {
        InstanceNorm in = new InstanceNorm(3);
        assertNull(in.lastMean());
        assertNull(in.gamma());
        in.forward(Tensor.randn(Seed.of(1), 4, 3, 5, 5));
        assertArrayEquals(new int[] {4, 3}, in.lastMean().shape());
        assertArrayEquals(new int[] {4, 3}, in.lastVar().shape());
    }

    @Test
    void gradientCheckInDoublePrecision() {
        // x (N=2, C=3, S=5): one group per channel, d = span = 5
        GroupNormTest.gradCheck("InstanceNorm(3)", 2, 3, 5, 5, 0, 51);
        GroupNormTest.gradCheck("InstanceNorm(3, affine)", 2, 3, 5, 5, 3, 52);
    }

    @Test
    void errorsNameInstanceNorm() {
        InstanceNorm in = new InstanceNorm(3);
        assertEquals("InstanceNorm(channels=3): expected rank 3 (N,C,L), 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [2, 3]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.ones(2, 3))).getMessage());
        assertEquals("InstanceNorm(channels=3): expected more than 1 spatial element per feature map, got shape [2, 3, 1, 1]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.ones(2, 3, 1, 1))).getMessage());
        assertEquals("InstanceNorm(channels=3): expected 3 channels (axis 1), got 5 in shape [2, 5, 4, 4]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.ones(2, 5, 4, 4))).getMessage());
        assertEquals("InstanceNorm(channels=3): backward called before forward",
                assertThrows(IllegalStateException.class, () -> in.backward(Tensor.ones(2, 3, 4, 4))).getMessage());
        assertEquals("InstanceNorm: expected channels > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new InstanceNorm(0)).getMessage());
    }
}
