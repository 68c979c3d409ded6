package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;

import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The optimizer steps on OpenCL against the CPU: three SGD (momentum, weight decay) and Adam steps. */
class OptimParityTest {
    private final Tensor p0 = Tensor.randn(Seed.of(1), 7, 13);
    private final Tensor dp = Tensor.randn(Seed.of(2), 7, 13);

    @Test
    void sgdWithMomentumAndWeightDecay() {
        parity("SGD step", 1e-6, (b, on) -> {
            Tensor p = on.apply(p0), g = on.apply(dp), v = p.zerosLike();
            for (int t = 0; t < 3; t++) {
                b.sgdStep(p, g, v, 0.1f, 0.9f, 1e-2f);
            }
            return new Tensor[] {p, v};
        });
    }

    @Test
    void adam() {
        parity("Adam step", 1e-6, (b, on) -> {
            Tensor p = on.apply(p0), g = on.apply(dp), m = p.zerosLike(), v = p.zerosLike();
            for (int t = 1; t <= 3; t++) {
                double c1 = 1 - Math.pow(0.9, t);
                double sqrtC2 = Math.sqrt(1 - Math.pow(0.999, t));
                b.adamStep(p, g, m, v, 0.9, 0.999, 1e-3 / c1, sqrtC2, 1e-8, 1e-2);
            }
            return new Tensor[] {p, m, v};
        });
    }
}
