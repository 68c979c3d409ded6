package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;

import layerlab.backend.Indices;
import layerlab.backend.Pointwise;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every activation kernel on OpenCL against the CPU reference, forward and backward, on the activation tests' shapes. */
class ActivationParityTest {
    private final Tensor x = Tensor.randn(Seed.of(3), 2, 3, 5, 7);
    private final Tensor dy = Tensor.randn(Seed.of(4), 2, 3, 5, 7);

    /** Every Pointwise function: y = f(x), then dx from what backward keeps (x, or y). Exact for ReLU and LeakyReLU. */
    @ParameterizedTest
    @EnumSource(Pointwise.class)
    void elementwise(Pointwise f) {
        float alpha = f == Pointwise.ELU ? 1.5f : 0.1f;
        boolean exact = f == Pointwise.RELU || f == Pointwise.LEAKY_RELU;
        parity(f.name(), exact ? 0 : 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.activationForward(f, y, xx, alpha);
            b.activationBackward(f, dx, on.apply(dy), f.keeps() == Pointwise.Keeps.OUTPUT ? y : xx, alpha);
            return new Tensor[] {y, dx};
        });
    }

    @Test
    void preluPerChannelAndShared() {
        for (int channels : new int[] {3, 1}) {
            Tensor alpha = Tensor.rand(Seed.of(9), channels);
            int inner = channels == 1 ? 3 * 5 * 7 : 5 * 7;
            int outer = 2;
            parity("PReLU(" + channels + ")", 1e-5, (b, on) -> {
                Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
                Tensor a = on.apply(alpha), da = on.apply(Tensor.full(0.5f, channels));
                b.preluForward(y, xx, a, outer, channels, inner);
                b.preluBackward(dx, da, on.apply(dy), xx, a, outer, channels, inner);
                return new Tensor[] {y, dx, da};
            });
        }
    }

    @Test
    void maxout() {
        Tensor xm = Tensor.randn(Seed.of(5), 2, 6, 4, 3); // 6 channels, k = 3 → 2 groups
        Tensor dym = Tensor.randn(Seed.of(6), 2, 2, 4, 3);
        parity("Maxout(3)", 0, (b, on) -> {
            Tensor xx = on.apply(xm), y = on.apply(dym).zerosLike(), dx = xx.zerosLike();
            Indices piece = b.indices(y.numel());
            b.maxoutForward(y, piece, xx, 2, 6, 3, 12);
            b.maxoutBackward(dx, on.apply(dym), piece, 2, 6, 3, 12);
            return new Tensor[] {y, ClTests.values(piece), dx};
        });
    }

    @Test
    void copyBlocks() {
        parity("copyBlocks", 0, (b, on) -> {
            Tensor dst = on.apply(Tensor.zeros(2, 7, 5, 7));
            b.copyBlocks(dst, 2 * 35, 7 * 35, on.apply(x), 35, 3 * 35, 2 * 35, 2); // channels 1..2 of x → 2..3 of dst
            return new Tensor[] {dst};
        });
    }

    @Test
    void axpy() {
        parity("axpy", 0, (b, on) -> {
            Tensor y = on.apply(x);
            b.axpy(y, -0.5f, on.apply(dy));
            return new Tensor[] {y};
        });
    }
}
