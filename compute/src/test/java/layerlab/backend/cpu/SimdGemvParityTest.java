package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.cpu.vec.VecGemv;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Linear's forward for batch 1 … 4 (VecGemv) against LinearKernels' scalar loop, with and
 * without bias, in and out of 1, 3, 7, 1000, 1001, 4096 (tails, an odd last output).
 * Bound 1e-5 of max(1, |y|): lane sums against one ordered sum over in.
 */
@ExtendWith(SimdParity.class)
class SimdGemvParityTest {
    @ParameterizedTest(name = "batch={0} in={1} out={2} bias={3}")
    @CsvSource({"1,4096,4096,true", "1,1,1,true", "1,3,7,false", "2,7,1000,true", "3,1000,3,true", "4,1001,1001,false",
                "1,1000,1001,true", "4,16,33,true", "2,4096,17,false"})
    void gemvMatchesTheScalarLoop(int batch, int in, int out, boolean withBias) {
        assertTrue(VecGemv.accepts(batch));
        float[] x = Tensor.randn(Seed.of(1), batch * in).data();
        float[] a = Tensor.randn(Seed.of(2), out * in).data();
        float[] bias = withBias ? Tensor.randn(Seed.of(3), out).data() : null;
        float[] fast = new float[batch * out];
        float[] slow = new float[batch * out];
        java.util.Arrays.fill(fast, Float.NaN); // every output must be written
        VecGemv.forward(fast, x, a, bias, batch, in, out);
        LinearKernels.linearForward(slow, new float[in * out], x, a, bias, batch, in, out);
        SimdParity.assertClose("gemv y", slow, fast, 1e-5);
    }
}
