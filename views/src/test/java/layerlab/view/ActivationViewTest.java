package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Activation;
import layerlab.nn.ELU;
import layerlab.nn.LeakyReLU;
import layerlab.nn.Maxout;
import layerlab.nn.ReLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Tanh;
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
        BufferedImage img = BundleAssert.picture(d, "plot-relu");
        assertTrue(BundleAssert.hasColor(img, Charts.SERIES[0].getRGB()), "f drawn in blue");
        assertTrue(BundleAssert.hasColor(img, Charts.SERIES[1].getRGB()), "f′ drawn in red");
    }

    @Test
    void plotAllLikeTheSlide() {
        // the lecture's slide 12: sigmoid, tanh, ReLU, Leaky ReLU max(0.1x, x), Maxout, ELU
        Activation[] fs = {new Sigmoid(), new Tanh(), new ReLU(), new LeakyReLU(0.1f), Maxout.affine(1, 1, 2, 8),
            new ELU(1f)};
        DisplayData d = Views.plotAll(-4, 4, fs);
        String text = BundleAssert.text(d);
        for (Activation f : fs) {
            String name = f.toString().length() > 19 ? f.toString().substring(0, 19) : f.toString();
            assertTrue(text.contains(name + " f ") && text.contains(name + " f'"), name + " in " + text);
        }
        BufferedImage img = BundleAssert.picture(d, "plot-all");
        assertTrue(img.getWidth() <= 960, "three small charts per row fit: " + img.getWidth());
    }

    @Test
    void badRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Views.plot(new ReLU(), 1, -1));
        assertTrue(e.getMessage().contains("from < to"), e.getMessage());
    }
}
