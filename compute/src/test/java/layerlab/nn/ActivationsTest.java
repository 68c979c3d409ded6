package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.backend.cpu.ActivationKernels;
import layerlab.backend.cpu.ActivationKernels64;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The lecture's facts about the activations, their scalar forms, and their error messages. */
class ActivationsTest {
    private static Tensor grid(float from, float to, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + (to - from) * i / (n - 1);
        }
        return Tensor.of(v, n);
    }

    @Test
    void tanhIsTwoSigmoidOfTwoXMinusOne() {
        // Lecture §2: tanh(x) = 2σ(2x) − 1. Float32 layers, then the float64 kernels.
        Tensor x = grid(-12f, 12f, 2001);
        Tensor t = new Tanh().forward(x);
        Tensor twoX = x.copy();
        for (int i = 0; i < twoX.numel(); i++) {
            twoX.data()[i] *= 2f;
        }
        Tensor s = new Sigmoid().forward(twoX);
        double worst = 0;
        double worst64 = 0;
        for (int i = 0; i < x.numel(); i++) {
            worst = Math.max(worst, Math.abs(t.data()[i] - (2f * s.data()[i] - 1f)));
            double v = x.data()[i];
            worst64 = Math.max(worst64, Math.abs(Math.tanh(v) - (2 * ActivationKernels64.sigmoid(2 * v) - 1)));
        }
        System.out.printf("tanh(x) vs 2σ(2x) − 1: max abs %.2e (float32), %.2e (float64)%n", worst, worst64);
        assertTrue(worst <= 2.5e-7, "float32 max abs " + worst);
        assertTrue(worst64 <= 1e-15, "float64 max abs " + worst64);
    }

    @Test
    void leakyReluIsMaxOfPointOneXAndX() {
        // The slide's plot: max(0.1x, x).
        Tensor x = grid(-5f, 5f, 101);
        Tensor y = new LeakyReLU(0.1f).forward(x);
        for (int i = 0; i < x.numel(); i++) {
            float v = x.data()[i];
            assertEquals(Math.max(0.1f * v, v), y.data()[i], 0f, "x = " + v);
        }
        assertEquals(0.01f, LeakyReLU.pytorch().alpha());
        assertEquals("LeakyReLU(alpha=0.1)", new LeakyReLU(0.1f).toString());
    }

    @Test
    void sigmoidIsStableForLargeMagnitudes() {
        Tensor y = new Sigmoid().forward(Tensor.of(new float[] {-1000f, -80f, 0f, 80f, 1000f}, 5));
        assertArrayEquals(new float[] {0f, y.data()[1], 0.5f, 1f, 1f}, y.data());
        double expected = Math.exp(-80) / (1 + Math.exp(-80)); // 1.8e-35, a normal float
        double rel = Math.abs(y.data()[1] - expected) / expected;
        System.out.printf("σ(−80): %.6e, relative error %.1e%n", y.data()[1], rel);
        assertTrue(rel < 1e-6, "σ(−80) relative error " + rel);
    }

    @Test
    void erfMatchesHighPrecisionValues() {
        // erf and erfc at 30 digits (mpmath): z, erf(z), erfc(z).
        double[][] table = {
            {0.1, 0.1124629160182848984, 0.8875370839817151016},
            {0.5, 0.52049987781304653768, 0.47950012218695346232},
            {1, 0.84270079294971486934, 0.15729920705028513066},
            {1.5, 0.96610514647531072707, 0.033894853524689272933},
            {2, 0.99532226501895273416, 0.0046777349810472658379},
            {2.4, 0.99931148610335492111, 0.00068851389664507888555},
            {2.6, 0.99976396558347065091, 0.00023603441652934908781},
            {3, 0.99997790950300141456, 0.000022090496998585441373},
            {4, 0.99999998458274209972, 1.5417257900280018852e-8},
            {5, 0.99999999999846254021, 1.5374597944280348502e-12},
            {-0.7, -0.67780119383741844228, 1.6778011938374184423},
            {-3, -0.99997790950300141456, 1.9999779095030014146},
        };
        double erf64 = 0;
        double erfc64 = 0;
        double erf32 = 0;
        for (double[] row : table) {
            erf64 = Math.max(erf64, Math.abs(ActivationKernels64.erf(row[0]) - row[1]) / Math.abs(row[1]));
            erfc64 = Math.max(erfc64, Math.abs(ActivationKernels64.erfc(row[0]) - row[2]) / row[2]);
            erf32 = Math.max(erf32, Math.abs(ActivationKernels.erf((float) row[0]) - row[1]) / Math.abs(row[1]));
        }
        System.out.printf("erf relative: float64 %.2e, float32 %.2e; erfc relative float64 %.2e%n", erf64, erf32, erfc64);
        assertTrue(erf64 <= 1e-15, "erf float64 " + erf64);
        assertTrue(erfc64 <= 1e-12, "erfc float64 " + erfc64); // 1 − erf(z) below z = 2.5 loses ≤ 3.4 digits
        assertTrue(erf32 <= 3e-7, "erf float32 " + erf32);
        // GELU(x) = x·Φ(x), also in the far negative tail where 1 + erf would cancel.
        double[][] gelu = {{-8, -4.9767684594174272988e-15}, {-5, -1.4332578593959695584e-6},
            {-1.5, -0.10021080190328709901}, {0.3, 0.18537342665668578306}, {2, 1.9544997361036415856}};
        for (double[] row : gelu) {
            double got = row[0] * ActivationKernels64.normalCdf(row[0]);
            assertEquals(row[1], got, 1e-14 * Math.abs(row[1]), "GELU(" + row[0] + ")");
        }
    }

    @Test
    void scalarFormsAgreeWithTheLayers() {
        // apply(x) = forward, derivative(x) = backward with dY = 1, for every elementwise activation.
        Tensor x = grid(-4.05f, 4.05f, 401).reshape(1, 401); // steps of 0.02025: never exactly 0
        for (Activation a : List.of(new ReLU(), new Sigmoid(), new Tanh(), new LeakyReLU(0.1f), new PReLU(),
                new ELU(1.5f), new GELU(), new SiLU(), new Maxout(1))) {
            Tensor y = a.forward(x);
            Tensor d = a.backward(Tensor.ones(x.shape()));
            for (int i = 0; i < x.numel(); i++) {
                float v = x.data()[i];
                assertEquals(y.data()[i], a.apply(v), 1e-6f * Math.max(1f, Math.abs(y.data()[i])), a + " apply(" + v + ")");
                assertEquals(d.data()[i], a.derivative(v), 1e-6f, a + " derivative(" + v + ")");
            }
        }
    }

    @Test
    void preluStartsAtAQuarterWithOneParameterNamedAlpha() {
        PReLU shared = new PReLU();
        PReLU perChannel = new PReLU(3);
        assertEquals("alpha", shared.parameters().get(0).name());
        assertArrayEquals(new float[] {0.25f}, shared.alpha().value().data());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, perChannel.alpha().value().data());
        assertEquals("PReLU(channels=3)", perChannel.toString());
        // Per channel: channel c scales its negatives by α_c.
        perChannel.alpha().value().data()[1] = 0.5f;
        Tensor y = perChannel.forward(Tensor.of(new float[] {-2, 3, -2, 3, -2, 3}, 1, 3, 2));
        assertArrayEquals(new float[] {-0.5f, 3, -1f, 3, -0.5f, 3}, y.data());
    }

    @Test
    void maxoutTakesTheMaxOfEachGroupOfKChannels() {
        // (N=1, C=4, W=2), k=2: channels {0,1} → output 0, {2,3} → output 1.
        Tensor x = Tensor.of(new float[] {1, 8, 5, 2, 3, -1, 2, -4}, 1, 4, 2);
        Maxout m = new Maxout(2);
        Tensor y = m.forward(x);
        assertArrayEquals(new int[] {1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {5, 8, 3, -1}, y.data());
        assertArrayEquals(new int[] {1, 2, 2}, m.outputShape(new int[] {1, 4, 2}));
        Tensor dx = m.backward(Tensor.of(new float[] {10, 20, 30, 40}, 1, 2, 2));
        assertArrayEquals(new float[] {0, 20, 10, 0, 30, 40, 0, 0}, dx.data());
    }

    @Test
    void affineMaxoutIsTheSlidesMaxOfLines() {
        // max(a₁x + b₁, a₂x + b₂) with a = (1, −1), b = (0, 0.5): max(x, 0.5 − x).
        Maxout m = Maxout.affine(1, 1, 2, 5);
        assertEquals("Maxout(in=1, out=1, k=2)", m.toString());
        float[] a = m.parameters().get(0).value().data();
        float[] b = m.parameters().get(1).value().data();
        a[0] = 1f;
        a[1] = -1f;
        b[0] = 0f;
        b[1] = 0.5f;
        Tensor x = Tensor.of(new float[] {-2f, 0f, 0.2f, 0.3f, 3f}, 5, 1);
        Tensor y = m.forward(x);
        assertArrayEquals(new int[] {5, 1}, y.shape());
        for (int i = 0; i < 5; i++) {
            float v = x.data()[i];
            assertEquals(Math.max(v, 0.5f - v), y.data()[i], 1e-7f);
            assertEquals(Math.max(v, 0.5f - v), m.apply(v), 1e-7f);
            assertEquals(v > 0.25f ? 1f : -1f, m.derivative(v));
        }
    }

    @Test
    void errorsNameTheLayerWhatItExpectedAndWhatItGot() {
        LayerChecks.fails(IllegalStateException.class, "Sigmoid(): backward called before forward",
                () -> new Sigmoid().backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "Tanh(): backward called before forward",
                () -> new Tanh().backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "LeakyReLU(alpha=0.1): backward called before forward",
                () -> new LeakyReLU(0.1f).backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "PReLU(): backward called before forward",
                () -> new PReLU().backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "ELU(alpha=1.0): backward called before forward",
                () -> new ELU(1f).backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "GELU(): backward called before forward",
                () -> new GELU().backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "SiLU(): backward called before forward",
                () -> new SiLU().backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalStateException.class, "Maxout(k=2): backward called before forward",
                () -> new Maxout(2).backward(Tensor.ones(2)));
        LayerChecks.fails(IllegalArgumentException.class, "Maxout(k=3): expected channels (axis 1) divisible by k = 3, got shape [2, 5, 4]",
                () -> new Maxout(3).forward(Tensor.zeros(2, 5, 4)));
        LayerChecks.fails(IllegalArgumentException.class, "Maxout(k=2): expected channels (axis 1) divisible by k = 2, got shape [6]",
                () -> new Maxout(2).forward(Tensor.zeros(6)));
        LayerChecks.fails(IllegalArgumentException.class, "Maxout(k=0): expected k >= 1, got 0", () -> new Maxout(0));
        LayerChecks.fails(IllegalArgumentException.class, "Maxout(in=3, out=2, k=0): expected in, out and k >= 1, got in=3, out=2, k=0",
                () -> Maxout.affine(3, 2, 0, 1));
        LayerChecks.fails(IllegalArgumentException.class, "PReLU(channels=3): expected an input (N, 3, …) with 3 channels on axis 1, got shape [2, 4, 5]",
                () -> new PReLU(3).forward(Tensor.zeros(2, 4, 5)));
        LayerChecks.fails(IllegalArgumentException.class, "PReLU(channels=0): expected channels >= 1, got 0", () -> new PReLU(0));
        LayerChecks.fails(IllegalArgumentException.class, "LeakyReLU(alpha=NaN): expected a finite alpha, got NaN",
                () -> new LeakyReLU(Float.NaN));
        LayerChecks.fails(IllegalArgumentException.class, "ELU(alpha=Infinity): expected a finite alpha, got Infinity",
                () -> new ELU(Float.POSITIVE_INFINITY));
        Tanh t = new Tanh();
        t.forward(Tensor.zeros(2, 3));
        LayerChecks.fails(IllegalArgumentException.class, "Tanh(): expected dOut of shape [2, 3], got shape [3, 2]",
                () -> t.backward(Tensor.zeros(3, 2)));
    }
}
