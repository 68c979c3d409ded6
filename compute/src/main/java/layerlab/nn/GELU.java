package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.Pointwise;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/**
 * GELU(x) = x·Φ(x), Φ(x) = ½·(1 + erf(x/√2)) the standard normal CDF — the exact erf form,
 * libtorch's default. Beyond the lecture. PyTorch: {@code torch.nn.GELU()}
 * (the tanh approximation, {@code approximate='tanh'}, differs by up to ~5e-4).
 *
 * <p>Backward: dX = dY·(Φ(x) + x·φ(x)), φ(x) = exp(−x²/2)/√(2π).
 * erf is evaluated by a series and a continued fraction that run to the working precision
 * ({@code ActivationKernels.erf}); {@link #apply} and {@link #derivative} are that loop's
 * values for one element, computed on the CPU.
 */
public final class GELU implements Activation {
    private Tensor x; // input kept for backward

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).activationForward(Pointwise.GELU, y, x, 0f);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).activationBackward(Pointwise.GELU, dx, dOut, in, 0f);
        return dx;
    }

    @Override
    public float apply(float x) {
        Tensor y = Tensor.zeros(1);
        Backends.of(Device.CPU).activationForward(Pointwise.GELU, y, Tensor.of(new float[] {x}, 1), 0f);
        return y.data()[0];
    }

    @Override
    public float derivative(float x) {
        Tensor dx = Tensor.zeros(1);
        Backends.of(Device.CPU).activationBackward(Pointwise.GELU, dx, Tensor.of(new float[] {1f}, 1),
                Tensor.of(new float[] {x}, 1), 0f);
        return dx.data()[0];
    }

    @Override
    public String toString() {
        return "GELU()";
    }
}
