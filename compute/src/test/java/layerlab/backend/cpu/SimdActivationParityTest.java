package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;

import layerlab.backend.Pointwise;
import layerlab.backend.cpu.vec.VecActivation;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every vectorized activation (each {@link Pointwise} function VecActivation accepts) against
 * its reference loop in ActivationKernels, forward and backward, on a length that is no multiple
 * of the vector (masked tail) and big enough to run in parallel, with ±0, ±∞, NaN and large
 * values mixed in. Bounds: exact for ReLU/LeakyReLU (same arithmetic); 1e-6 of max(1, |value|)
 * for the exp- and erfc-based ones (≤ 4 ulp per SimdMathTest; GELU's Φ per SimdGeluSiluAccuracyTest).
 * A function without vector loops would be declined by VecActivation and run its reference loop.
 */
@ExtendWith(SimdParity.class)
class SimdActivationParityTest {
    private static final int N = 200_003;
    /** The functions with vector loops today: accepts() declining one of them would make its parity vacuous. */
    private static final Set<Pointwise> VECTORIZED = EnumSet.of(Pointwise.RELU, Pointwise.SIGMOID, Pointwise.TANH,
            Pointwise.LEAKY_RELU, Pointwise.ELU, Pointwise.GELU, Pointwise.SILU);

    @ParameterizedTest
    @EnumSource(Pointwise.class)
    void fastPathMatchesTheReferenceLoop(Pointwise f) {
        boolean exact = f == Pointwise.RELU || f == Pointwise.LEAKY_RELU;
        if (!VecActivation.accepts(f)) {
            assertFalse(VECTORIZED.contains(f), f + ": expected VecActivation to accept it");
            System.out.println(f + ": no vector path (CpuBackend runs the reference loop)");
            return;
        }
        float alpha = f == Pointwise.ELU ? 1.3f : 0.1f;
        float[] x = Tensor.randn(Seed.of(1), N).data();
        float[] dy = Tensor.randn(Seed.of(2), N).data();
        for (int i = 0; i < N; i++) {
            x[i] *= 4;
        }
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 30f, -30f, 1e-30f, -1e-30f, 80f, -80f};
        System.arraycopy(specials, 0, x, 0, specials.length);
        System.arraycopy(specials, 0, x, N - specials.length, specials.length);
        float[] fast = new float[N];
        float[] slow = new float[N];
        VecActivation.forward(f, fast, x, alpha, N);
        ActivationKernels.forward(f, slow, x, alpha, N);
        SimdParity.assertClose(f + " fwd", slow, fast, exact ? 0 : 1e-6);
        // backward reads x, or forward's output for the functions that keep it (sigmoid, tanh)
        float[] kept = f.keeps() == Pointwise.Keeps.OUTPUT ? slow : x;
        float[] dFast = new float[N];
        float[] dSlow = new float[N];
        VecActivation.backward(f, dFast, dy, kept, alpha, N);
        ActivationKernels.backward(f, dSlow, dy, kept, alpha, N);
        SimdParity.assertClose(f + " bwd", dSlow, dFast, exact ? 0 : 1e-6);
    }
}
