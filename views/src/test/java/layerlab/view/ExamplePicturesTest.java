package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Activation;
import layerlab.nn.BatchNorm;
import layerlab.nn.Conv2d;
import layerlab.nn.ELU;
import layerlab.nn.LeakyReLU;
import layerlab.nn.MaxPool;
import layerlab.nn.Maxout;
import layerlab.nn.Parameter;
import layerlab.nn.ReLU;
import layerlab.nn.Sigmoid;
import layerlab.nn.Tanh;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pictures of the README (docs/img): views of structured inputs rather than noise. Run with
 * -Dviews.dump=DIR to write them; each still checks its bundle.
 */
class ExamplePicturesTest {
    /** (1, 1, 28, 28): a ring and a diagonal bar, like a crude glyph. */
    static Tensor glyph() {
        Tensor x = Tensor.zeros(1, 1, 28, 28);
        for (int i = 0; i < 28; i++) {
            for (int j = 0; j < 28; j++) {
                double r = Math.hypot(i - 13.5, j - 13.5);
                double ring = Math.abs(r - 9) < 3 ? Math.exp(-(r - 9) * (r - 9) / 3.0) : 0;
                double bar = Math.abs(i - j) < 2 && i > 6 && i < 22 ? 0.8 : 0;
                x.set((float) Math.max(ring, bar), 0, 0, i, j);
            }
        }
        return x;
    }

    /** Eight classic 3×3 filters: edges in four directions, a blur, a Laplacian, a sharpen, identity. */
    static Conv2d filters() {
        Conv2d conv = new Conv2d(new Conv2d.Config(1, 8, 3, 1, 1, false, false), 1);
        float[][] k = {
            {-1, 0, 1, -2, 0, 2, -1, 0, 1}, {-1, -2, -1, 0, 0, 0, 1, 2, 1},
            {0, 1, 2, -1, 0, 1, -2, -1, 0}, {2, 1, 0, 1, 0, -1, 0, -1, -2},
            {1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f},
            {0, 1, 0, 1, -4, 1, 0, 1, 0}, {0, -1, 0, -1, 5, -1, 0, -1, 0}, {0, 0, 0, 0, 1, 0, 0, 0, 0}};
        Parameter w = conv.parameters().get(0);
        for (int o = 0; o < 8; o++) {
            System.arraycopy(k[o], 0, w.value().data(), o * 9, 9);
        }
        return conv;
    }

    @Test
    void featureMapsOfEdgeFilters() {
        Tensor y = new ReLU().forward(filters().forward(glyph()));
        BufferedImage img = BundleAssert.png(Views.featureMaps(y), "example-feature-maps");
        assertTrue(img.getWidth() <= TilePainter.MAX_WIDTH + 40);
    }

    @Test
    void maxPoolWinners() {
        Tensor y = new ReLU().forward(filters().forward(glyph()));
        Tensor two = Tensor.zeros(1, 2, 28, 28);
        System.arraycopy(y.data(), 0, two.data(), 0, 2 * 28 * 28);
        DisplayData d = Views.compare(new MaxPool(2, 2), two);
        BundleAssert.png(d, "example-maxpool");
    }

    @Test
    void activationFunctionsSlide() {
        Activation[] fs = {new Sigmoid(), new Tanh(), new ReLU(), new LeakyReLU(0.1f), Maxout.affine(1, 1, 2, 8),
            new ELU(1f)};
        BundleAssert.png(Views.plotAll(-4, 4, fs), "example-activations");
    }

    @Test
    void batchNormStatistics() {
        BatchNorm bn = new BatchNorm(6);
        for (int step = 0; step < 5; step++) {
            Tensor x = Tensor.randn(Seed.of(40 + step), 16, 6, 4, 4);
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                int c = i / 16 % 6;
                d[i] = d[i] * (0.5f + c * 0.4f) + (c - 2) * 0.8f;
            }
            bn.forward(x);
        }
        BundleAssert.inlinePngs(Views.bnStats(bn), "example-bn-stats");
    }
}
