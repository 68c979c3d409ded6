package layerlab.backend.opencl;

import layerlab.oracle.Compare;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every activation kernel on OpenCL against the CPU reference, forward and backward. */
class ActivationParityTest {
    private final OpenClBackend cl = ClTests.backend();
    private final Tensor x = Tensor.randn(3, 2, 3, 5, 7);
    private final Tensor dy = Tensor.randn(4, 2, 3, 5, 7);
    private final Tensor xd = ClTests.dev(x);
    private final Tensor dyd = ClTests.dev(dy);

    @Test
    void relu() {
        Tensor y = x.zerosLike();
        Tensor dx = x.zerosLike();
        ClTests.CPU.reluForward(y, x);
        ClTests.CPU.reluBackward(dx, dy, x);
        Tensor yd = xd.zerosLike();
        Tensor dxd = xd.zerosLike();
        cl.reluForward(yd, xd);
        cl.reluBackward(dxd, dyd, xd);
        Compare.assertClose("ReLU forward opencl vs cpu", y, ClTests.host(yd), 0);
        Compare.assertClose("ReLU dX opencl vs cpu", dx, ClTests.host(dxd), 0);
    }

    @Test
    void axpy() {
        Tensor y = x.copy();
        ClTests.CPU.axpy(y, -0.5f, dy);
        Tensor yd = xd.copy();
        cl.axpy(yd, -0.5f, dyd);
        Compare.assertClose("axpy opencl vs cpu", y, ClTests.host(yd), 0);
    }
}
