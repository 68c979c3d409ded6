package layerlab.kernel.view;

import layerlab.nn.Activation;
import layerlab.tensor.Tensor;

/** Scalar-only activations for the plot tests (the real layers live in layerlab.nn). */
final class TestActivations {
    private TestActivations() {
    }

    static Activation of(String name, java.util.function.DoubleUnaryOperator f, java.util.function.DoubleUnaryOperator df) {
        return new Activation() {
            @Override
            public Tensor forward(Tensor x) {
                throw new UnsupportedOperationException("plot-only test activation");
            }

            @Override
            public Tensor backward(Tensor dOut) {
                throw new UnsupportedOperationException("plot-only test activation");
            }

            @Override
            public float apply(float x) {
                return (float) f.applyAsDouble(x);
            }

            @Override
            public float derivative(float x) {
                return (float) df.applyAsDouble(x);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    static Activation sigmoid() {
        return of("Sigmoid()", x -> 1 / (1 + Math.exp(-x)), x -> {
            double s = 1 / (1 + Math.exp(-x));
            return s * (1 - s);
        });
    }

    static Activation tanh() {
        return of("Tanh()", Math::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x));
    }

    static Activation leaky() {
        return of("LeakyReLU(alpha=0.1)", x -> x < 0 ? 0.1 * x : x, x -> x < 0 ? 0.1 : 1);
    }

    static Activation elu() {
        return of("ELU(alpha=1.0)", x -> x < 0 ? Math.exp(x) - 1 : x, x -> x < 0 ? Math.exp(x) : 1);
    }
}
