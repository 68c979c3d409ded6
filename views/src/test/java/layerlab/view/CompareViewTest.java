package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.nn.MaxPool;
import layerlab.nn.ReLU;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareViewTest {
    /** The lecture's 2×2, stride 2 example: [[1,3,2,9],[7,4,1,5],[8,5,2,3],[4,2,1,4]] → [[7,9],[8,4]]. */
    @Test
    void slideMaxPoolWinnersAreColoredLikeTheirOutputCell() {
        Tensor x = Tensor.of(new float[] {1, 3, 2, 9, 7, 4, 1, 5, 8, 5, 2, 3, 4, 2, 1, 4}, 1, 1, 4, 4);
        Tensor y = Tensor.of(new float[] {7, 9, 8, 4}, 1, 1, 2, 2);
        int[] argmax = {4, 3, 8, 15};
        DisplayData d = CompareView.compare("MaxPool(kernel=2, stride=2)", x, y, argmax);
        String html = BundleAssert.html(d, "compare-slide");
        String text = BundleAssert.text(d);
        assertEquals(20, BundleAssert.count(html, "<td"), "16 input + 4 output cells");
        assertEquals(8, BundleAssert.count(html, "outline:3px solid"), "4 winners + 4 output cells");
        for (String c : CompareView.PAIR_COLORS) {
            assertEquals(2, BundleAssert.count(html, "outline:3px solid " + c), "winner and output share " + c);
        }
        assertTrue(text.contains("[[ 1,  3,  2, *9]"), text);
        assertTrue(text.contains(" [*7,  4,  1,  5]"), text);
        assertTrue(text.contains("[[*7, *9]"), text);
        assertTrue(html.contains("&#8594;"), "an arrow between input and output");
    }

    @Test
    void realMaxPoolMarksTheClassicExample() {
        // the slide's "Maxpool with stride 2 and 2×2 filter": [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] → [[6,8],[3,4]]
        Tensor x = Tensor.of(new float[] {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4}, 1, 1, 4, 4);
        DisplayData d = Views.compare(new MaxPool(2, 2), x);
        String text = BundleAssert.text(d);
        assertTrue(text.contains("[[*6, *8]"), text);
        assertTrue(text.contains(" [ 5, *6,  7, *8]"), text);
        assertTrue(text.contains(" [*3,  2,  1,  0]"), text);
        assertTrue(text.contains(" [ 1,  2,  3, *4]]"), text);
        BufferedImage big = BundleAssert.picture(Views.compare(new MaxPool(2, 2), Tensor.randn(Seed.of(13), 1, 2, 24, 24)),
                "compare-maxpool-real");
        assertTrue(big.getWidth() > 900);
    }

    @Test
    void reluSmallIsShadedGrids() {
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 2, 2);
        DisplayData d = Views.compare(new ReLU(), x);
        String html = BundleAssert.html(d);
        assertEquals(8, BundleAssert.count(html, "<td"));
        assertTrue(html.contains("ReLU(): input [2, 2] → output [2, 2]"), html);
        assertTrue(BundleAssert.text(d).contains("output: Tensor shape [2, 2] on cpu | min 0  max 4"));
    }

    @Test
    void largeInputsAreTilesSideBySideWithWinnersOutlined() {
        Tensor x = Tensor.randn(Seed.of(11), 1, 3, 16, 16);
        Tensor y = Tensor.zeros(1, 3, 8, 8);
        int[] argmax = new int[y.numel()];
        for (int c = 0; c < 3; c++) { // a reference 2×2 max pool, first max wins
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    int best = -1;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            int idx = c * 256 + (2 * i + di) * 16 + 2 * j + dj;
                            if (best < 0 || x.data()[idx] > x.data()[best]) {
                                best = idx;
                            }
                        }
                    }
                    argmax[c * 64 + i * 8 + j] = best;
                    y.data()[c * 64 + i * 8 + j] = x.data()[best];
                }
            }
        }
        DisplayData d = CompareView.compare("MaxPool(kernel=2, stride=2)", x, y, argmax);
        BufferedImage img = BundleAssert.picture(d, "compare-maxpool");
        assertTrue(BundleAssert.text(d).contains("Outlined input pixels won"));
        assertTrue(img.getWidth() > 900, "two pictures side by side");
        BundleAssert.picture(Views.compare(new ReLU(), Tensor.randn(Seed.of(12), 2, 6, 20, 20)), "compare-relu");
    }

    @Test
    void normDiagramIsSvg() {
        DisplayData d = Views.normDiagram();
        String svg = d.getData(MIMEType.IMAGE_SVG).toString();
        assertNotNull(svg);
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        for (String k : new String[] {"Batch Norm", "Layer Norm", "Instance Norm", "Group Norm"}) {
            assertTrue(svg.contains(k), k);
        }
        assertTrue(BundleAssert.text(d).contains("BatchNorm    over N, H, W"));
    }
}
