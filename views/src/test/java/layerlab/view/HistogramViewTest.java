package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.ReLU;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramViewTest {
    @Test
    void reluOutputReportsExactZeros() {
        Tensor y = new ReLU().forward(Tensor.of(new float[] {-1, -2, 0, 3, 4, -5, 6, 7}, 8));
        DisplayData d = Views.histogram(y);
        String text = BundleAssert.text(d);
        assertTrue(text.contains("exact zeros: 4 of 8 = 50.0%"), text);
        assertTrue(text.contains("saturated: n/a"), text);
        BundleAssert.png(d, "histogram-relu-small");
        BundleAssert.html(d);
        DisplayData big = Views.histogram(new ReLU().forward(Tensor.randn(Seed.of(4), 64, 64)));
        BundleAssert.png(big, "histogram-relu");
    }

    @Test
    void tanhSaturationIsCounted() {
        Tensor x = Tensor.randn(Seed.of(5), 4096);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.tanh(3 * d[i]);
        }
        int sat = 0;
        for (float v : d) {
            sat += Math.abs(v) >= 0.99f ? 1 : 0;
        }
        DisplayData b = Views.histogram(x);
        String expected = HistogramView.pct(sat, d.length);
        assertTrue(BundleAssert.text(b).contains("saturated (x ≤ -0.99 or x ≥ 0.99): " + expected), BundleAssert.text(b));
        BundleAssert.png(b, "histogram-tanh");
    }

    @Test
    void valuesInTheUnitIntervalWithExactZerosAreNotTakenForSigmoidOutputs() {
        // dropout or ReLU output in [0, 1]: many exact zeros, which a sigmoid never gives
        Tensor y = Tensor.of(new float[] {0, 0, 0, 0.5f, 0.7f, 0, 0.2f, 1}, 8);
        String text = BundleAssert.text(Views.histogram(y));
        assertTrue(text.contains("saturated: n/a"), text);
        Tensor s = Tensor.of(new float[] {0.001f, 0.5f, 0.7f, 0.995f}, 4);
        assertTrue(BundleAssert.text(Views.histogram(s)).contains("saturated (x ≤ 0.01 or x ≥ 0.99): 50.0%"),
                BundleAssert.text(Views.histogram(s)));
    }

    @Test
    void givenThresholdsAndNaN() {
        Tensor x = Tensor.of(new float[] {0.1f, 0.5f, 0.9f, Float.NaN}, 4);
        DisplayData d = Views.histogram(x, 0.2, 0.8);
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("!!! WARNING: 1 NaN"), text);
        assertTrue(text.contains("saturated (x ≤ 0.2 or x ≥ 0.8): 66.7%"), text);
        assertThrows(IllegalArgumentException.class, () -> Views.histogram(x, 1, 0));
    }
}
