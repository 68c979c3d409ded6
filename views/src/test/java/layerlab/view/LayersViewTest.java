package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.Flatten;
import layerlab.nn.Linear;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
import layerlab.nn.Sequential;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersViewTest {
    private static Sequential model() {
        return new Sequential(ExamplePicturesTest.filters(), new BatchNorm(8), new ReLU(), new MaxPool(2, 2),
                new Flatten(), new Linear(8 * 14 * 14, 10, 3));
    }

    @Test
    void everyLayerGetsARowWithThumbnails() {
        Tensor x = Tensor.zeros(2, 1, 28, 28);
        System.arraycopy(ExamplePicturesTest.glyph().data(), 0, x.data(), 0, 784);
        System.arraycopy(ExamplePicturesTest.glyph().data(), 0, x.data(), 784, 784);
        DisplayData d = Views.layers(model(), x);
        String html = BundleAssert.html(d, "layers");
        BundleAssert.assertStyledForJupyter(html);
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("6 layers ran"), text);
        assertTrue(text.contains("3: MaxPool(kernel=2, stride=2)") && text.contains("[2, 8, 14, 14]"), text);
        List<BufferedImage> strips = BundleAssert.inlinePngs(d, "layers");
        assertEquals(6, strips.size(), "a thumbnail strip per layer");
        assertTrue(html.contains("2: ReLU()"));
        assertTrue(html.contains("sample 0: 8 channels") && html.contains("sample 0: 1568 values, 128 per row"), html);
        // readable: 28×28 maps at 2× (56 px), 14×14 at 4×; 8 of them in one strip
        assertEquals(LayersView.THUMB, strips.get(0).getHeight(), "conv maps 56 px high");
        assertEquals(8 * 56 + 7 * LayersView.GAP, strips.get(0).getWidth());
        assertEquals(56, strips.get(3).getHeight(), "pooled 14×14 maps at 4×");
        assertEquals(LayersView.STRIP, strips.get(4).getWidth(), "1568 features wrapped at 128 per row");
        assertEquals(13 * LayersView.CELL, strips.get(4).getHeight(), "ceil(1568 / 128) = 13 rows");
        assertEquals(10 * 24, strips.get(5).getWidth(), "10 logits, 24 px each");
        long size = BundleAssert.size(d);
        assertTrue(size < 60_000, "six layers, small: " + size + " characters");
    }

    @Test
    void capsAreCaptioned() {
        Tensor y = Tensor.randn(Seed.of(6), 1, 16, 7, 7);
        assertEquals("sample 0: channels 0–7 of 16", LayersView.caption(y));
        BufferedImage strip = LayersView.strip(y, Stats.of(y));
        assertEquals(56, strip.getHeight(), "7×7 maps at 8×");
        assertEquals(BufferedImage.TYPE_INT_RGB, strip.getType());
        assertTrue(BundleAssert.variance(strip) > 100, "not blank");
    }

    @Test
    void nanIsFlaggedPerLayer() {
        Tensor x = Tensor.randn(Seed.of(5), 2, 1, 28, 28);
        x.data()[100] = Float.NaN;
        DisplayData d = Views.layers(model(), x);
        assertTrue(BundleAssert.text(d).startsWith("!!! WARNING: some layer produced NaN or Inf"));
        String html = BundleAssert.html(d);
        assertTrue(html.contains("&#9888; ") && html.contains("NaN out of"), "rows flag their NaN counts");
    }
}
