package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;

import layerlab.backend.Indices;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every activation kernel on OpenCL against the CPU reference, forward and backward, on the activation tests' shapes. */
class ActivationParityTest {
    private final Tensor x = Tensor.randn(Seed.of(3), 2, 3, 5, 7);
    private final Tensor dy = Tensor.randn(Seed.of(4), 2, 3, 5, 7);

    @Test
    void relu() {
        parity("ReLU", 0, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.reluForward(y, xx);
            b.reluBackward(dx, on.apply(dy), xx);
            return new Tensor[] {y, dx};
        });
    }

    @Test
    void sigmoidAndTanh() {
        parity("Sigmoid", 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.sigmoidForward(y, xx);
            b.sigmoidBackward(dx, on.apply(dy), y);
            return new Tensor[] {y, dx};
        });
        parity("Tanh", 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.tanhForward(y, xx);
            b.tanhBackward(dx, on.apply(dy), y);
            return new Tensor[] {y, dx};
        });
    }

    @Test
    void leakyReluAndElu() {
        parity("LeakyReLU", 0, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.leakyReluForward(y, xx, 0.1f);
            b.leakyReluBackward(dx, on.apply(dy), xx, 0.1f);
            return new Tensor[] {y, dx};
        });
        parity("ELU", 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.eluForward(y, xx, 1.5f);
            b.eluBackward(dx, on.apply(dy), xx, 1.5f);
            return new Tensor[] {y, dx};
        });
    }

    @Test
    void geluAndSilu() {
        parity("GELU", 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.geluForward(y, xx);
            b.geluBackward(dx, on.apply(dy), xx);
            return new Tensor[] {y, dx};
        });
        parity("SiLU", 1e-6, (b, on) -> {
            Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
            b.siluForward(y, xx);
            b.siluBackward(dx, on.apply(dy), xx);
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
