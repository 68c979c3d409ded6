package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.vec.VecSoftmax;
import layerlab.nn.Dropout;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Softmax over an inner axis (vectors across positions) against SoftmaxKernels' scalar loops
 * (bound 1e-6: exp within 2 ulp), and the vectorized dropout mask against the scalar draw
 * (identical: the same integer hash, the same comparison).
 */
@ExtendWith(SimdParity.class)
class SimdSoftmaxDropoutParityTest {
    @ParameterizedTest(name = "outer={0} n={1} inner={2}")
    @CsvSource({"4,64,3136", "3,10,17", "2,5,1000", "1,1,40", "5,7,16", "2,3,1100"})
    // every shape has inner >= 16: CpuBackend sends smaller ones to the scalar loops
    void softmaxMatchesTheScalarLoops(int outer, int n, int inner) {
        float[] x = Tensor.randn(Seed.of(1), outer * n * inner).data();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 20; // differences beyond e^±80 between classes
        }
        float[] dy = Tensor.randn(Seed.of(2), x.length).data();
        float[][] y = new float[2][x.length];
        float[][] dx = new float[2][x.length];
        assertTrue(VecSoftmax.accepts(inner), "inner " + inner + " takes the vector loops");
        VecSoftmax.forward(y[0], x, outer, n, inner);
        VecSoftmax.backward(dx[0], dy, y[0], outer, n, inner);
        SoftmaxKernels.softmaxForward(y[1], x, outer, n, inner);
        SoftmaxKernels.softmaxBackward(dx[1], dy, y[1], outer, n, inner);
        SimdParity.assertClose("softmax y", y[1], y[0], 1e-6);
        SimdParity.assertClose("softmax dx", dx[1], dx[0], 1e-6);
    }

    @ParameterizedTest(name = "keep={0}")
    @ValueSource(doubles = {0.5, 0.3, 1.0, 0.75})
    void dropoutMaskIsIdentical(double keep) {
        Tensor x = Tensor.randn(Seed.of(3), 7, 1001);
        Tensor[] masks = new Tensor[2];
        for (int v = 0; v < 2; v++) {
            Simd.setEnabled(v == 0);
            Dropout d = Dropout.keep(keep).withSeed(42);
            d.forward(x);
            masks[v] = d.lastMask();
        }
        assertArrayEquals(masks[1].data(), masks[0].data(), "mask keep=" + keep);
    }

    @Test
    void dropoutMaskOfABigTensorIsIdentical() {
        float[][] m = new float[2][1 << 20];
        for (int v = 0; v < 2; v++) {
            Simd.setEnabled(v == 0);
            Dropout d = Dropout.drop(0.5).withSeed(9);
            d.forward(Tensor.zeros(m[v].length));
            m[v] = d.lastMask().data();
        }
        assertArrayEquals(m[1], m[0]);
    }
}
