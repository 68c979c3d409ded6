package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.Simd;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused inference forms give the numbers of the layers run one after the other. */
class FusedTest {
    /** A BatchNorm in eval mode with non-trivial running statistics and affine parameters. */
    private static BatchNorm trainedBatchNorm(int c) {
        BatchNorm bn = new BatchNorm(c, Convention.PYTORCH);
        bn.forward(Tensor.randn(Seed.of(5), 4, c, 6, 7)); // one training step moves the running statistics
        float[] g = bn.gamma().data();
        float[] b = bn.beta().data();
        for (int i = 0; i < c; i++) {
            g[i] = 0.5f + 0.1f * i;
            b[i] = 0.2f * i - 0.3f;
        }
        bn.train(false);
        return bn;
    }

    @Test
    void batchNormReluIsReluOfBatchNormExactly() {
        BatchNorm bn = trainedBatchNorm(5);
        Tensor x = Tensor.randn(Seed.of(6), 3, 5, 9, 11);
        Tensor expected = new ReLU().forward(bn.forward(x));
        boolean before = Simd.enabled();
        try {
            for (boolean simd : new boolean[] {false, true}) {
                if (simd && !Simd.available()) {
                    continue;
                }
                Simd.setEnabled(simd);
                assertArrayEquals(expected.data(), Fused.batchNormRelu(bn, x).data(), "simd=" + simd);
            }
        } finally {
            Simd.setEnabled(before && Simd.available());
        }
    }

    @Test
    void foldedConvEqualsConvThenBatchNorm() {
        for (boolean ws : new boolean[] {false, true}) {
            Conv2d conv = new Conv2d(new Conv2d.Config(3, 5, 3, 1, 1, !ws, ws), 7);
            BatchNorm bn = trainedBatchNorm(5);
            Tensor x = Tensor.randn(Seed.of(8), 2, 3, 10, 9);
            Tensor expected = bn.forward(conv.forward(x));
            Tensor actual = Fused.foldBatchNorm(conv, bn).forward(x);
            double worst = 0;
            for (int i = 0; i < expected.numel(); i++) {
                worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]) / (1 + Math.abs(expected.data()[i])));
            }
            System.out.printf("fold conv+BN (weight standardization %s): worst relative difference %.2e%n", ws, worst);
            assertTrue(worst < 1e-5, "worst " + worst);
        }
    }

    @Test
    void foldChecksTheChannels() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fused.foldBatchNorm(conv, new BatchNorm(5)));
        assertEquals("Fused.foldBatchNorm: expected a BatchNorm over 4 channels (the conv's outputs), got 5", e.getMessage());
    }
}
