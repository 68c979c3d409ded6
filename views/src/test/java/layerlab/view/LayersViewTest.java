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
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("6 layers ran"), text);
        assertTrue(text.contains("3: MaxPool(kernel=2, stride=2)") && text.contains("[2, 8, 14, 14]"), text);
        assertEquals(6, BundleAssert.count(html, "data:image/png;base64,"), "a thumbnail strip per layer");
        assertTrue(html.contains("2: ReLU()"));
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
