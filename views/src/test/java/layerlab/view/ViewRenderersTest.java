package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewRenderersTest {
    @Test
    void tensorRendersAsShowDoes() {
        Renderer r = new Renderer();
        ViewRenderers.register(r);
        DisplayData small = r.render(Tensor.of2d(new float[][] {{1, 3}, {7, 4}}));
        assertTrue(small.getData(MIMEType.TEXT_PLAIN).toString().contains("shape [2, 2]"));
        assertTrue(small.getData(MIMEType.TEXT_HTML).toString().contains(">7</td>"));
        DisplayData big = r.render(Tensor.randn(Seed.of(1), 1, 3, 20, 20));
        assertNotNull(big.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void requestedTypesOnlyAreRendered() {
        Renderer r = new Renderer();
        ViewRenderers.register(r);
        DisplayData d = r.renderAs(Tensor.randn(Seed.of(1), 1, 3, 20, 20), "text/plain");
        assertNotNull(d.getData(MIMEType.TEXT_PLAIN));
        assertNull(d.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void aViewsBundlePassesThrough() {
        Renderer r = new Renderer();
        ViewRenderers.register(r);
        DisplayData view = Views.histogram(Tensor.randn(Seed.of(3), 100));
        DisplayData d = r.render(view);
        assertTrue(d.getData(MIMEType.TEXT_PLAIN).equals(view.getData(MIMEType.TEXT_PLAIN)));
        assertTrue(d.getData(MIMEType.IMAGE_PNG).equals(view.getData(MIMEType.IMAGE_PNG)));
    }
}
