package layerlab.backend.cpu;


import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every vectorized activation against its scalar twin in ActivationKernels, forward and backward,
 * on a length that is no multiple of the vector (masked tail) and big enough to run in parallel,
 * with ±0, ±∞, NaN and large values mixed in. Bounds: exact for ReLU/LeakyReLU (same
 * arithmetic); 1e-6 of max(1, |value|) for the exp-based ones (≤ 4 ulp per SimdMathTest).
 */
@ExtendWith(SimdParity.class)
class SimdActivationParityTest {
    private static final int N = 200_003;

    private interface Op {
        void run(float[] out, float[] a, float[] b);
    }

    @Test
    void reluAndLeakyReluAreExact() {
        check("relu fwd", 0, (y, x, u) -> ActivationKernels.reluForward(y, x, N));
        check("relu bwd", 0, (dx, x, dy) -> ActivationKernels.reluBackward(dx, dy, x, N));
        check("leaky fwd", 0, (y, x, u) -> ActivationKernels.leakyReluForward(y, x, 0.1f, N));
        check("leaky bwd", 0, (dx, x, dy) -> ActivationKernels.leakyReluBackward(dx, dy, x, 0.1f, N));
    }

    @Test
    void expBasedActivationsMatch() {
        check("elu fwd", 1e-6, (y, x, u) -> ActivationKernels.eluForward(y, x, 1.3f, N));
        check("elu bwd", 1e-6, (dx, x, dy) -> ActivationKernels.eluBackward(dx, dy, x, 1.3f, N));
        check("sigmoid fwd", 1e-6, (y, x, u) -> ActivationKernels.sigmoidForward(y, x, N));
        check("sigmoid bwd", 1e-6, (dx, y, dy) -> ActivationKernels.sigmoidBackward(dx, dy, y, N));
        check("tanh fwd", 1e-6, (y, x, u) -> ActivationKernels.tanhForward(y, x, N));
        check("tanh bwd", 1e-6, (dx, y, dy) -> ActivationKernels.tanhBackward(dx, dy, y, N));
    }

    private static void check(String what, double bound, Op op) {
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
        Simd.setEnabled(true);
        op.run(fast, x, dy);
        Simd.setEnabled(false);
        op.run(slow, x, dy);
        SimdParity.assertClose(what, slow, fast, bound);
    }
}
