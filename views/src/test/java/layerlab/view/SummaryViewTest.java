package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.Flatten;
import layerlab.nn.Linear;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
import layerlab.nn.Residual;
import layerlab.nn.Sequential;
import layerlab.nn.Summary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryViewTest {
    private static Sequential model() {
        return new Sequential(new Conv2d(1, 8, 3, 1, 1), new BatchNorm(8), new ReLU(),
                new Residual(new Sequential(new Conv2d(8, 8, 3, 1, 1), new ReLU())), new MaxPool(2, 2),
                new Flatten(), new Linear(8 * 14 * 14, 10));
    }

    @Test
    void tableHasLayersShapesAndCounts() {
        Summary s = Summary.of(model(), 1, 1, 28, 28);
        DisplayData d = Views.summary(model(), 1, 1, 28, 28);
        String html = BundleAssert.html(d, "summary");
        String text = BundleAssert.text(d);
        assertEquals(s.toString(), text, "text/plain is the Summary's own table");
        assertTrue(html.contains("BatchNorm(channels=8"), html);
        assertTrue(html.contains("[1, 8, 14, 14]"), "MaxPool's output shape");
        assertTrue(html.contains(">16<"), "BatchNorm: 2·8 trainable");
        String total = String.format(java.util.Locale.ROOT, "%,d", s.totalTrainable());
        assertTrue(html.contains(">" + total + "<"), "total trainable " + total);
        assertTrue(html.contains("font-weight:bold;border-top"), "a bold totals row");
        assertTrue(html.contains("white-space:pre"), "nested layers keep their indentation");
        assertEquals(s.rows().size() + 1, BundleAssert.count(html, "<tr style"), "one row per layer plus the total");
    }

    @Test
    void summaryRendersThroughTheBaseRenderer() {
        Renderer r = new Renderer();
        ViewRenderers.register(r);
        DisplayData d = r.render(model().summary(2, 1, 28, 28));
        assertTrue(d.getData(MIMEType.TEXT_HTML).toString().contains("Non-trainable"));
    }
}
