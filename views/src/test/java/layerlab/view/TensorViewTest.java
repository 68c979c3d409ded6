package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorViewTest {
    private static final float[][] SLIDE = {{1, 3, 2, 9}, {7, 4, 1, 5}, {8, 5, 2, 3}, {4, 2, 1, 4}};

    @Test
    void small2dIsAnHtmlGridWithEveryValue() {
        DisplayData d = Views.show(Tensor.of2d(SLIDE));
        String html = BundleAssert.html(d, "show-slide");
        String text = BundleAssert.text(d);
        assertEquals(16, BundleAssert.count(html, "<td"), "one cell per value");
        for (float[] row : SLIDE) {
            for (float v : row) {
                assertTrue(html.contains(">" + (int) v + "</td>"), "value " + v + " in the grid");
            }
        }
        assertTrue(text.contains("shape [4, 4]"), text);
        assertTrue(text.contains("min 1") && text.contains("max 9"), text);
        assertTrue(text.contains("[[1, 3, 2, 9]"), "the grid is in the text fallback: " + text);
        assertNull(d.getData(MIMEType.IMAGE_PNG), "a small grid needs no picture");
    }

    @Test
    void summaryHasMeanAndStd() {
        DisplayData d = Views.show(Tensor.of(new float[] {1, 2, 3, 4}, 4));
        String text = BundleAssert.text(d);
        assertTrue(text.contains("mean 2.5"), text);
        assertTrue(text.contains("std 1.118"), text); // population std of 1..4
        assertTrue(text.contains("on cpu"), text);
    }

    @Test
    void nanAndInfAreFlaggedLoudly() {
        Tensor x = Tensor.of2d(new float[][] {{1, Float.NaN}, {Float.POSITIVE_INFINITY, Float.NaN}});
        DisplayData d = Views.show(x);
        String text = BundleAssert.text(d);
        String html = BundleAssert.html(d, "show-nan-grid");
        assertTrue(text.startsWith("!!! WARNING: 2 NaN, 1 +Inf out of 4 values"), text);
        assertTrue(html.contains("2 NaN, 1 +Inf out of 4 values"), html);
        assertTrue(html.contains(">NaN</td>") && html.contains(">+Inf</td>"), html);
        assertTrue(text.contains("min 1  max 1"), "min/max over the finite values: " + text);
    }

    @Test
    void nanInHeatmapIsFlaggedInTextHtmlAndPicture() {
        Tensor x = Tensor.randn(Seed.of(3), 2, 3, 12, 12);
        x.data()[5] = Float.NaN;
        x.data()[200] = Float.NEGATIVE_INFINITY;
        DisplayData d = Views.show(x);
        assertTrue(BundleAssert.text(d).startsWith("!!! WARNING: 1 NaN, 1 -Inf out of 864 values"));
        BufferedImage img = BundleAssert.picture(d, "show-nan");
        assertTrue(BundleAssert.hasColor(img, Colormap.NON_FINITE.getRGB()), "NaN pixels drawn in magenta");
        assertTrue(BundleAssert.hasColor(img, 0xb00020), "the warning drawn in red above the tiles");
    }

    @Test
    void rank4IsHeatmapTilesWithColorbar() {
        DisplayData d = Views.show(Tensor.randn(Seed.of(7), 2, 4, 28, 28));
        String text = BundleAssert.text(d);
        BufferedImage img = BundleAssert.picture(d, "show-rank4");
        assertTrue(text.contains("8 tiles"), text);
        assertTrue(img.getWidth() <= TilePainter.MAX_WIDTH + 40, "fits a notebook: " + img.getWidth());
    }

    @Test
    void aBigTensorIsOnePictureOfFewTiles() {
        // the 64×512×56×56 is 411 MB; this one takes the same caps (samples, then channels)
        DisplayData d = Views.show(Tensor.randn(Seed.of(16), 16, 64, 56, 56));
        String text = BundleAssert.text(d);
        BundleAssert.picture(d, "show-big");
        assertTrue(text.contains("16 tiles") && text.contains("showing 2 of 16 samples, showing 8 of 64 channels"), text);
        long size = BundleAssert.size(d);
        System.out.println("show(randn 16x64x56x56): " + size + " characters in the notebook");
        assertTrue(size < 150_000, "a big tensor's output stays small: " + size + " characters");
        int[] kept = Planes.budget(new int[] {8, 16, 1}, 56, 56);
        assertTrue(Planes.drawn(kept, 56, 56) <= Planes.DRAWN_VALUES, "within the budget");
        assertEquals(2, kept[0], "samples halved first, down to 2");
        assertEquals(8, kept[1], "then channels, down to 8");
        int[] small = Planes.budget(new int[] {8, 16, 1}, 6, 6);
        assertEquals(8, small[0], "small tiles are not capped further");
        assertEquals(16, small[1]);
    }

    @Test
    void aBatchOfGreyImagesSitsSideBySide() {
        BufferedImage batch = BundleAssert.png(Views.show(Tensor.randn(Seed.of(8), 8, 1, 28, 28)), "show-grey-batch");
        BufferedImage one = BundleAssert.png(Views.show(Tensor.randn(Seed.of(8), 1, 1, 28, 28)), "show-grey-one");
        // a lone image is drawn larger; eight in one row are no taller than it, and wider
        assertTrue(batch.getWidth() > one.getWidth(), "8 images in a row: " + batch.getWidth() + " vs " + one.getWidth());
        assertTrue(batch.getHeight() <= one.getHeight(), "one row, not one row per image: " + batch.getHeight()
                + " vs " + one.getHeight());
    }

    @Test
    void capsAreNoted() {
        DisplayData d = Views.show(Tensor.randn(Seed.of(1), 10, 20, 6, 6));
        String text = BundleAssert.text(d);
        assertTrue(text.contains("showing 8 of 10 samples"), text);
        assertTrue(text.contains("showing 16 of 20 channels"), text);
        BundleAssert.picture(d, "show-capped");
    }

    @Test
    void perTileScaleShowsRanges() {
        Tensor x = Tensor.randn(Seed.of(2), 1, 4, 16, 16);
        for (int c = 0; c < 4; c++) { // channel c scaled by 10^c: a shared scale hides channel 0
            for (int i = 0; i < 256; i++) {
                x.data()[c * 256 + i] *= (float) Math.pow(10, c);
            }
        }
        DisplayData shared = Views.show(x);
        DisplayData per = Views.show(x, Scale.PER_TILE);
        assertTrue(BundleAssert.text(per).contains("each tile on its own scale"));
        BundleAssert.png(shared, "show-shared-scale");
        BundleAssert.png(per, "show-per-tile-scale");
    }

    @Test
    void perTileRangesOfNeighboursDoNotOverlap() {
        // notebook 07's first conv: 8 maps 28×28 with ranges like [-0.05019, 0.03633]
        Tensor x = Tensor.randn(Seed.of(20), 1, 8, 28, 28);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] * 0.0123f * (1 + i / 784) - 0.00345f;
        }
        List<Tile> tiles = Planes.cut(x, 0, 1, 8, 1).tiles();
        int room = 84 + 12 - 4; // 28×28 at 3× in a row of 8, plus the gap
        TilePainter.RangeForm form = TilePainter.rangeForm(tiles, room);
        assertEquals(TilePainter.RangeForm.TWO_LINES, form, "[-0.05019, 0.03633] is wider than a tile");
        FontMetrics fm = Caption.metrics(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (Tile t : tiles) {
            for (String line : TilePainter.rangeLabel(t.stats(), form)) {
                assertTrue(fm.stringWidth(line) <= room, line + " fits its tile");
            }
        }
        Stats first = tiles.get(0).stats();
        assertEquals(List.of("max " + Html.num(first.max(), 3), "min " + Html.num(first.min(), 3)),
                TilePainter.rangeLabel(first, form));
        assertTrue(Html.num(first.max(), 3).matches("0\\.0\\d{3}"), "3 significant digits: " + Html.num(first.max(), 3));
        List<Tile> plain = Planes.cut(Tensor.randn(Seed.of(21), 1, 8, 28, 28), 0, 1, 8, 1).tiles();
        assertEquals(TilePainter.RangeForm.FULL, TilePainter.rangeForm(plain, room), "[-3.8, 3.234] fits as it is");
        BundleAssert.picture(Views.featureMaps(x, 0, Scale.PER_TILE), "feature-maps-per-tile");
    }

    @Test
    void rank3And5AndLarge2d() {
        BundleAssert.png(Views.show(Tensor.randn(Seed.of(4), 3, 32, 32)), "show-rank3");
        DisplayData video = Views.show(Tensor.randn(Seed.of(5), 2, 3, 10, 8, 8));
        BundleAssert.png(video, "show-rank5");
        assertTrue(BundleAssert.text(video).contains("showing 8 of 10 frames"));
        BundleAssert.png(Views.show(Tensor.randn(Seed.of(6), 40, 30)), "show-2d-large");
    }

    @Test
    void smallRank4IsNumberGrids() {
        DisplayData d = Views.show(Tensor.arange(32).reshape(1, 2, 4, 4));
        String html = BundleAssert.html(d);
        assertTrue(html.contains("n=0 c=1"), html);
        assertEquals(32, BundleAssert.count(html, "<td"));
        assertTrue(html.contains(">31</td>"));
    }

    @Test
    void long1dIsALinePlot() {
        DisplayData d = Views.show(Tensor.randn(Seed.of(8), 200));
        BundleAssert.png(d, "show-1d");
        assertFalse(BundleAssert.text(d).isEmpty());
    }

    @Test
    void featureMapsShowsEveryChannelOfOneSample() {
        DisplayData d = Views.featureMaps(Tensor.randn(Seed.of(9), 2, 12, 14, 14), 1);
        String text = BundleAssert.text(d);
        assertTrue(text.contains("12 tiles"), text);
        assertTrue(text.contains("Sample n=1 of 2"), text);
        BundleAssert.png(d, "feature-maps");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Views.featureMaps(Tensor.randn(Seed.of(1), 2, 3, 4, 4), 2));
        assertTrue(e.getMessage().contains("expected sample index in [0, 2), got 2"), e.getMessage());
    }

    @Test
    void degenerateTensorsStillRender() {
        DisplayData allNaN = Views.show(Tensor.full(Float.NaN, 1, 2, 10, 10));
        assertTrue(BundleAssert.text(allNaN).startsWith("!!! WARNING: 200 NaN out of 200 values"));
        BundleAssert.png(allNaN, "show-all-nan");
        DisplayData constant = Views.show(Tensor.full(3f, 1, 2, 10, 10), Scale.PER_TILE);
        assertTrue(BundleAssert.text(constant).contains("min 3  max 3  mean 3  std 0"));
        BundleAssert.png(constant, "show-constant");
        BundleAssert.png(Views.histogram(Tensor.full(2f, 50)), "histogram-constant");
        BundleAssert.png(Views.histogram(Tensor.full(Float.NaN, 50)), "histogram-all-nan");
    }

    @Test
    void extremeAspectRatiosStayVisible() {
        BufferedImage wide = BundleAssert.png(Views.show(Tensor.randn(Seed.of(14), 2, 3000)), "show-2d-wide");
        assertTrue(wide.getHeight() >= 100);
        BundleAssert.png(Views.show(Tensor.randn(Seed.of(15), 64, 10)), "show-2d-logits");
    }

    @Test
    void aNullArgumentIsNamedNotANullPointerException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Views.show((Tensor) null));
        assertEquals("show(x): expected a Tensor, got null (a variable declared but not yet assigned, or a method that"
                + " returned null?)", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Views.featureMaps(null, 0)).getMessage()
                .startsWith("featureMaps(x, n): expected a Tensor, got null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Views.compare(new layerlab.nn.ReLU(), null))
                .getMessage().startsWith("compare(layer, x): expected a Tensor x, got null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Views.show(Tensor.zeros(2), null))
                .getMessage().startsWith("show(x, scale): expected a Scale"));
    }
}
