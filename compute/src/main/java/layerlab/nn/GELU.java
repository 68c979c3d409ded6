package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.backend.cpu.ActivationKernels;
import layerlab.tensor.Tensor;

/**
 * GELU(x) = x·Φ(x), Φ(x) = ½·(1 + erf(x/√2)) the standard normal CDF — the exact erf form,
 * libtorch's default. Beyond the lecture. PyTorch: {@code torch.nn.GELU()}
 * (the tanh approximation, {@code approximate='tanh'}, differs by up to ~5e-4).
 *
 * <p>Backward: dX = dY·(Φ(x) + x·φ(x)), φ(x) = exp(−x²/2)/√(2π).
 * erf is evaluated by a series and a continued fraction that run to the working precision
 * (see {@link ActivationKernels#erf}).
 */
public final class GELU implements Activation {
    private Tensor x; // input kept for backward

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        Backends.of(x).geluForward(y, x);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor in = Layers.saved(this, x);
        Layers.requireSameShape(this, "dOut", in, dOut);
        Tensor dx = in.emptyLike();
        Backends.of(in).geluBackward(dx, dOut, in);
        return dx;
    }

    @Override
    public float apply(float x) {
        return x * ActivationKernels.normalCdf(x);
    }

    @Override
    public float derivative(float x) {
        return ActivationKernels.normalCdf(x) + x * (float) (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));
    }

    @Override
    public String toString() {
        return "GELU()";
    }
}
