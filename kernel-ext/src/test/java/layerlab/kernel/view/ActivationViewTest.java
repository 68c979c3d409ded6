package layerlab.kernel.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.ReLU;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationViewTest {
    @Test
    void plotDrawsFAndDerivative() {
        DisplayData d = Views.plot(new ReLU(), -3, 3);
        String text = BundleAssert.text(d);
        assertTrue(text.contains("ReLU() f "), text);
        assertTrue(text.contains("ReLU() f'"), text);
        BufferedImage img = BundleAssert.png(d, "plot-relu");
        assertTrue(BundleAssert.hasColor(img, Charts.SERIES[0].getRGB()), "f drawn in blue");
        assertTrue(BundleAssert.hasColor(img, Charts.SERIES[1].getRGB()), "f′ drawn in red");
    }

    @Test
    void plotAllLikeTheSlide() {
        DisplayData d = Views.plotAll(-4, 4, TestActivations.sigmoid(), TestActivations.tanh(), new ReLU(),
                TestActivations.leaky(), TestActivations.elu());
        String text = BundleAssert.text(d);
        assertTrue(text.contains("Tanh() f ") && text.contains("ELU(alpha=1.0) f'"), text);
        BufferedImage img = BundleAssert.png(d, "plot-all");
        assertTrue(img.getWidth() <= 960, "three small charts per row fit: " + img.getWidth());
    }

    @Test
    void badRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Views.plot(new ReLU(), 1, -1));
        assertTrue(e.getMessage().contains("from < to"), e.getMessage());
    }
}
