package layerlab.nn;

import java.util.List;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/** Tiny layers for testing containers and optimizers before the real layers exist. */
final class TestLayers {
    private TestLayers() {}

    /** y = w·x with one trainable scalar w; counts forwards and remembers its train mode. */
    static final class Scale implements Layer {
        final Parameter w;
        int forwards;
        boolean training = true;
        private Tensor x;

        Scale(String name, float w) {
            this.w = Parameter.trainable(name, Tensor.of(new float[] {w}, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            forwards++;
            this.x = x;
            float a = w.value().data()[0];
            float[] y = x.toArray();
            for (int i = 0; i < y.length; i++) {
                y[i] *= a;
            }
            return Tensor.of(y, x.shape());
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor in = Layers.saved(this, x);
            float a = w.value().data()[0];
            float[] dx = dOut.toArray();
            double dw = 0;
            for (int i = 0; i < dx.length; i++) {
                dw += (double) dOut.data()[i] * in.data()[i];
                dx[i] *= a;
            }
            w.grad().data()[0] += (float) dw;
            return Tensor.of(dx, in.shape());
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w);
        }

        @Override
        public void train(boolean on) {
            training = on;
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape.clone();
        }

        @Override
        public String toString() {
            return "Scale(" + w.name() + ")";
        }
    }

    /** y = x + c (no parameters): order-sensitive together with Scale. */
    static final class Shift implements Layer {
        private final float c;

        Shift(float c) {
            this.c = c;
        }

        @Override
        public Tensor forward(Tensor x) {
            float[] y = x.toArray();
            for (int i = 0; i < y.length; i++) {
                y[i] += c;
            }
            return Tensor.of(y, x.shape());
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut.copy();
        }

        @Override
        public String toString() {
            return "Shift(" + c + ")";
        }
    }

    /** y = x² elementwise: smooth, so float gradient checks need no care about kinks. */
    static final class Square implements Layer {
        private Tensor x;

        @Override
        public Tensor forward(Tensor x) {
            this.x = x;
            float[] y = x.toArray();
            for (int i = 0; i < y.length; i++) {
                y[i] *= y[i];
            }
            return Tensor.of(y, x.shape());
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor in = Layers.saved(this, x);
            float[] dx = new float[in.numel()];
            for (int i = 0; i < dx.length; i++) {
                dx[i] = 2 * in.data()[i] * dOut.data()[i];
            }
            return Tensor.of(dx, in.shape());
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape.clone();
        }

        @Override
        public String toString() {
            return "Square()";
        }
    }

    /** (N, C, …) → (N, 1, …): the sum over channels; changes the channel count for Concat tests. */
    static final class ChannelSum implements Layer {
        private int[] inShape;

        @Override
        public Tensor forward(Tensor x) {
            inShape = x.shape();
            int n = inShape[0];
            int c = inShape[1];
            int inner = Shapes.product(inShape, 2, inShape.length);
            int[] out = inShape.clone();
            out[1] = 1;
            float[] y = new float[n * inner];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    for (int j = 0; j < inner; j++) {
                        y[i * inner + j] += x.data()[(i * c + k) * inner + j];
                    }
                }
            }
            return Tensor.of(y, out);
        }

        @Override
        public Tensor backward(Tensor dOut) {
            int[] s = Layers.saved(this, inShape);
            int n = s[0];
            int c = s[1];
            int inner = Shapes.product(s, 2, s.length);
            float[] dx = new float[Shapes.numel(s)];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    for (int j = 0; j < inner; j++) {
                        dx[(i * c + k) * inner + j] = dOut.data()[i * inner + j];
                    }
                }
            }
            return Tensor.of(dx, s);
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            int[] out = inputShape.clone();
            out[1] = 1;
            return out;
        }

        @Override
        public String toString() {
            return "ChannelSum()";
        }
    }

    /** Parameters shaped like BatchNorm's: γ, β trainable and running mean/var as state, C each. */
    static final class FakeNorm implements Layer {
        private final List<Parameter> params;

        FakeNorm(int channels) {
            params = List.of(Parameter.trainable("gamma", Tensor.ones(channels)),
                    Parameter.trainable("beta", Tensor.zeros(channels)),
                    Parameter.state("running_mean", Tensor.zeros(channels)),
                    Parameter.state("running_var", Tensor.ones(channels)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }

        @Override
        public List<Parameter> parameters() {
            return params;
        }

        @Override
        public int[] outputShape(int[] inputShape) {
            return inputShape.clone();
        }

        @Override
        public String toString() {
            return "FakeNorm(" + params.get(0).numel() + ")";
        }
    }
}
