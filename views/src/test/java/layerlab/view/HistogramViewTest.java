package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Dropout;
import layerlab.nn.ELU;
import layerlab.nn.Linear;
import layerlab.nn.ReLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Tanh;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramViewTest {
    private static Tensor tanhOf(Tensor x, float gain) {
        Tensor y = x.copy();
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.tanh(gain * d[i]);
        }
        return y;
    }

    @Test
    void withoutALayerZerosAreJustZeros() {
        Tensor y = new ReLU().forward(Tensor.of(new float[] {-1, -2, 0, 3, 4, -5, 6, 7}, 8));
        DisplayData d = Views.histogram(y);
        String text = BundleAssert.text(d);
        assertTrue(text.contains("exact zeros: 4 of 8 = 50.0% (share of zeros)"), text);
        assertFalse(text.contains("ReLU") || text.contains("saturat"), "nothing is claimed about the source: " + text);
        BundleAssert.picture(d, "histogram-neutral");
    }

    @Test
    void afterAReluZerosAreInactiveUnits() {
        ReLU relu = new ReLU();
        Tensor y = relu.forward(Tensor.of(new float[] {-1, -2, 0, 3, 4, -5, 6, 7}, 8));
        String text = BundleAssert.text(Views.histogram(y, relu));
        assertTrue(text.contains("exact zeros: 4 of 8 = 50.0% — inactive ReLUs"), text);
        assertTrue(text.contains("a channel at 0 for every input is dead"), text);
        BundleAssert.picture(Views.histogram(new ReLU().forward(Tensor.randn(Seed.of(4), 64, 64)), relu), "histogram-relu");
    }

    @Test
    void tanhAndSigmoidSaturationIsTheShareNearTheAsymptotes() {
        Tensor y = tanhOf(Tensor.randn(Seed.of(5), 4096), 3);
        int sat = 0;
        for (float v : y.data()) {
            sat += Math.abs(v) >= 0.99f ? 1 : 0;
        }
        String expected = HistogramView.pct(sat, 4096);
        String named = BundleAssert.text(Views.histogram(y, new Tanh()));
        assertTrue(named.contains("saturated tanh (x ≤ -0.99 or x ≥ 0.99): " + sat + " of 4096 = " + expected), named);
        assertTrue(named.contains("tanh′ = 1 − y² < 0.02"), named);
        String neutral = BundleAssert.text(Views.histogram(y));
        assertTrue(neutral.contains("near the ends of [−1, 1] (x ≤ -0.99 or x ≥ 0.99): " + sat + " of 4096"), neutral);
        assertFalse(neutral.contains("saturated"), "without the layer it is not called saturation: " + neutral);
        BundleAssert.picture(Views.histogram(y, new Tanh()), "histogram-tanh");

        Tensor s = Tensor.of(new float[] {0.001f, 0.5f, 0.7f, 0.995f}, 4);
        String sig = BundleAssert.text(Views.histogram(s, new Sigmoid()));
        assertTrue(sig.contains("saturated σ (x ≤ 0.01 or x ≥ 0.99): 2 of 4 = 50.0%"), sig);
    }

    @Test
    void afterDropoutZerosAreDroppedUnits() {
        Tensor hidden = new ReLU().forward(new Linear(64, 256, 31L).forward(Tensor.randn(Seed.of(6), 32, 64)));
        Dropout dropout = Dropout.keep(0.5).withSeed(32);
        Tensor h = dropout.forward(hidden);
        String text = BundleAssert.text(Views.histogram(h, dropout));
        assertTrue(text.contains("— dropped by the mask (a unit is kept with p = 0.5) or zero already at the input"), text);
        assertFalse(text.contains("ReLUs"), text);
        dropout.train(false);
        assertTrue(BundleAssert.text(Views.histogram(dropout.forward(hidden), dropout)).contains("eval mode"));
        String labelled = BundleAssert.text(Views.histogram(h, "hidden layer, after dropout"));
        assertTrue(labelled.contains("(share of zeros)"), labelled);
        BundleAssert.picture(Views.histogram(h, "hidden layer, after dropout"), "histogram-labelled");
    }

    @Test
    void eluSaturatesNearMinusAlphaAndOtherLayersAreNeutral() {
        Tensor y = new ELU(1f).forward(Tensor.of(new float[] {-8, -6, -0.1f, 0.5f, 2}, 5));
        String text = BundleAssert.text(Views.histogram(y, new ELU(1f)));
        assertTrue(text.contains("saturated ELU (x ≤ -0.99): 2 of 5 = 40.0%"), text);
        String other = BundleAssert.text(Views.histogram(Tensor.randn(Seed.of(7), 100), new Linear(3, 4, 1L)));
        assertTrue(other.contains("(share of zeros)") && !other.contains("saturated"), other);
    }

    @Test
    void unitIntervalValuesWithExactZerosGetNoBand() {
        // dropout or ReLU output in [0, 1]: many exact zeros, which a sigmoid never gives
        Tensor y = Tensor.of(new float[] {0, 0, 0, 0.5f, 0.7f, 0, 0.2f, 1}, 8);
        String text = BundleAssert.text(Views.histogram(y));
        assertFalse(text.contains("near the ends"), text);
        Tensor s = Tensor.of(new float[] {0.001f, 0.5f, 0.7f, 0.995f}, 4);
        String t = BundleAssert.text(Views.histogram(s));
        assertTrue(t.contains("near the ends of [0, 1] (x ≤ 0.01 or x ≥ 0.99): 2 of 4 = 50.0%"), t);
    }

    @Test
    void givenThresholdsAndNaN() {
        Tensor x = Tensor.of(new float[] {0.1f, 0.5f, 0.9f, Float.NaN}, 4);
        DisplayData d = Views.histogram(x, 0.2, 0.8);
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("!!! WARNING: 1 NaN"), text);
        assertTrue(text.contains("at or beyond the thresholds (x ≤ 0.2 or x ≥ 0.8): 2 of 3 = 66.7%"), text);
        assertTrue(text.contains("1 NaN/Inf values are not drawn."), text);
        assertTrue(BundleAssert.hasColor(BundleAssert.picture(d, "histogram-nan"), 0xb00020), "the warning in red");
        assertThrows(IllegalArgumentException.class, () -> Views.histogram(x, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Views.histogram(x, (layerlab.nn.Layer) null));
        assertThrows(IllegalArgumentException.class, () -> Views.histogram(x, " "));
    }
}
