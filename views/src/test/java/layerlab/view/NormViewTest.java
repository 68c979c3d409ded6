package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.nn.BatchNorm;
import layerlab.nn.GroupNorm;
import layerlab.nn.InstanceNorm;
import layerlab.nn.LayerNorm;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormViewTest {
    /** Channel c of the batch has mean c and standard deviation c + 1. */
    private static Tensor shifted(long seed) {
        Tensor x = Tensor.randn(Seed.of(seed), 8, 4, 5, 5);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            int c = i / 25 % 4;
            d[i] = d[i] * (c + 1) + c;
        }
        return x;
    }

    @Test
    void bnStatsShowsBatchAgainstRunningAndGammaBeta() {
        BatchNorm bn = new BatchNorm(4);
        DisplayData before = Views.bnStats(bn);
        assertTrue(BundleAssert.text(before).contains("No training batch yet"), BundleAssert.text(before));
        bn.forward(shifted(1));
        DisplayData d = Views.bnStats(bn);
        String text = BundleAssert.text(d);
        String html = BundleAssert.html(d);
        assertEquals(1, BundleAssert.inlinePngs(d, "bn-stats").size(), "the charts, once, inline");
        assertTrue(text.contains("batch μ_B") && text.contains("running μ_avg") && text.contains("γ"), text);
        float bm3 = bn.batchMean().data()[3];
        float rm3 = bn.runningMean().data()[3];
        assertEquals(0.1 * bm3, rm3, 1e-5, "lecture: μ_avg = 0.9·0 + 0.1·μ_B");
        assertTrue(html.contains(Html.num(bm3)) && html.contains(Html.num(rm3)), "table holds the values");
        assertTrue(html.contains("<svg"), "the cube diagram of BN's axes");
    }

    @Test
    void bnStatsFlagsNaN() {
        BatchNorm bn = new BatchNorm(2);
        bn.runningVar().data()[1] = Float.NaN;
        DisplayData d = Views.bnStats(bn);
        assertTrue(BundleAssert.text(d).startsWith("!!! WARNING: running σ²_avg: 1 NaN"), BundleAssert.text(d));
        assertTrue(BundleAssert.html(d).contains("color:#b00020;font-weight:bold\">NaN"), "NaN cell in red");
    }

    @Test
    void bnMonitorRecordsRunningStatistics() {
        BatchNorm bn = new BatchNorm(12);
        BnMonitor mon = new BnMonitor(bn);
        assertTrue(BundleAssert.text(mon.toDisplayData()).contains("Nothing recorded yet"));
        for (int step = 0; step < 30; step++) {
            Tensor x = Tensor.randn(Seed.of(100 + step), 8, 12, 3, 3);
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                int c = i / 9 % 12;
                d[i] = d[i] * (1 + c / 4f) + c / 3f;
            }
            bn.forward(x);
            mon.record();
        }
        DisplayData d = mon.toDisplayData();
        String text = BundleAssert.text(d);
        assertTrue(text.contains("30 recorded steps"), text);
        assertTrue(text.contains("showing 8 of 12 channels"), text);
        BundleAssert.picture(d, "bn-monitor");
        Renderer r = new Renderer();
        assertNotNull(r.render(mon).getData(MIMEType.IMAGE_PNG), "renders itself through the base renderer");
    }

    @Test
    void groupNormStatsWithDiagram() {
        GroupNorm gn = new GroupNorm(2, 4);
        DisplayData none = Views.normStats(gn);
        assertTrue(BundleAssert.text(none).contains("call forward(x) first"));
        gn.forward(shifted(2));
        DisplayData d = Views.normStats(gn);
        String text = BundleAssert.text(d);
        String html = BundleAssert.html(d, "norm-stats-gn");
        assertTrue(text.contains("8 samples × 2 groups"), text);
        assertTrue(text.contains("over C/G, H, W"), text);
        assertEquals(gn.lastMean().data()[3], Float.parseFloat(Html.num(gn.lastMean().data()[3])), 1e-3);
        assertTrue(html.contains(Html.num(gn.lastMean().data()[3])));
        assertNull(d.getData(MIMEType.IMAGE_SVG), "the diagram is inline in the HTML, not sent twice");
        String svg = html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
        assertTrue(svg.contains("Group Norm"));
        assertTrue(svg.contains("opacity=\"0.35\""), "the other three kinds are faded");
    }

    @Test
    void everyCubeAndItsLabelsStayInsideTheirPanel() {
        Pattern points = Pattern.compile("points=\"([^\"]+)\"");
        Pattern label = Pattern.compile("<text x=\"([0-9.]+)\"[^>]*>N</text>");
        for (int c = 1; c <= 12; c++) {
            String svg = NormDiagram.svg(null, c, c % 2 == 0 ? 2 : 1);
            double width = Double.parseDouble(svg.replaceAll("(?s).*?width=\"(\\d+)\".*", "$1"));
            double panel = width / 4;
            List<Double> xs = new ArrayList<>();
            Matcher m = points.matcher(svg);
            int polygon = 0;
            while (m.find()) {
                for (String p : m.group(1).split(" ")) {
                    xs.add(Double.parseDouble(p.split(",")[0]));
                }
                polygon++;
            }
            assertEquals(4 * (4 * c + 4 + c), polygon, "top, side and front cells of four cubes");
            Matcher n = label.matcher(svg);
            int labels = 0;
            while (n.find()) {
                double x = Double.parseDouble(n.group(1));
                int k = labels++;
                assertTrue(x - 6 >= k * panel && x + 6 <= (k + 1) * panel, c + " channels: \"N\" of panel " + k
                        + " at x=" + x + " inside [" + k * panel + ", " + (k + 1) * panel + "]");
            }
            assertEquals(4, labels, "an N per cube");
            for (double x : xs) {
                assertTrue(x >= 0 && x <= width, c + " channels: a cell at x=" + x + " beyond the picture's " + width);
            }
            assertTrue(4 * NormDiagram.cellWidth(c) * c > 0);
        }
        assertTrue(BundleAssert.text(Views.normDiagram()).contains("GroupNorm"));
        assertNull(Views.normDiagram().getData(MIMEType.TEXT_HTML), "the diagram is its SVG alone");
    }

    @Test
    void channelTicksAreWholeNumbers() throws ReflectiveOperationException {
        for (int n = 1; n <= 20; n++) {
            Tensor v = Tensor.randn(Seed.of(n), n);
            XYChart c = BnView.pair("Mean per channel", "μ", v, "batch", v, "running");
            BitmapEncoder.getBufferedImage(c); // lays the axes out
            List<String> labels = xTickLabels(c);
            assertFalse(labels.stream().allMatch(String::isBlank), n + " channels: some tick is labelled " + labels);
            for (String l : labels) {
                assertTrue(l.isBlank() || l.matches("\\d+") && Integer.parseInt(l) <= Math.max(n, 16),
                        n + " channels: tick labels " + labels);
            }
        }
    }

    /**
     * The x tick labels XChart drew (those inside the axis). NOTE: XChart 3.8.8 keeps them behind package-private getters;
     * reflection reads what was painted, which is what the test is about.
     */
    private static List<String> xTickLabels(XYChart c) throws ReflectiveOperationException {
        Method axis = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredMethod("getXAxis");
        axis.setAccessible(true);
        Axis<?, ?> x = (Axis<?, ?>) axis.invoke(c);
        List<String> labels = x.getAxisTickCalculator().getTickLabels();
        List<Double> at = x.getAxisTickCalculator().getTickLocations(); // pixels along the axis
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (at.get(i) >= 0 && at.get(i) <= x.getBounds().getWidth()) {
                drawn.add(labels.get(i));
            }
        }
        return drawn;
    }

    @Test
    void diagramShadesTheReducedCells() {
        // cell (n, c) shares statistics with cell (0, 0)
        assertTrue(NormDiagram.shaded(NormDiagram.Kind.BATCH, 3, 0, 2));
        assertTrue(!NormDiagram.shaded(NormDiagram.Kind.BATCH, 0, 1, 2));
        assertTrue(NormDiagram.shaded(NormDiagram.Kind.LAYER, 0, 5, 2));
        assertTrue(!NormDiagram.shaded(NormDiagram.Kind.LAYER, 1, 0, 2));
        assertTrue(NormDiagram.shaded(NormDiagram.Kind.INSTANCE, 0, 0, 2));
        assertTrue(!NormDiagram.shaded(NormDiagram.Kind.INSTANCE, 0, 1, 2));
        assertTrue(NormDiagram.shaded(NormDiagram.Kind.GROUP, 0, 1, 2));
        assertTrue(!NormDiagram.shaded(NormDiagram.Kind.GROUP, 0, 2, 2));
        assertTrue(!NormDiagram.shaded(NormDiagram.Kind.GROUP, 1, 0, 2));
    }

    @Test
    void layerAndInstanceNorm() {
        LayerNorm ln = new LayerNorm(4, 5, 5);
        ln.forward(shifted(3));
        DisplayData d = Views.normStats(ln);
        assertTrue(BundleAssert.text(d).contains("8 samples × 1 sample:") || BundleAssert.text(d).contains("8 samples"),
                BundleAssert.text(d));
        assertTrue(BundleAssert.text(d).contains("Layer Norm: over C, H, W"));
        InstanceNorm in = new InstanceNorm(4);
        in.forward(shifted(4));
        DisplayData di = Views.normStats(in);
        String text = BundleAssert.text(di);
        assertTrue(text.contains("8 samples × 4 channels"), text);
        // instance norm over H, W of channel c: the mean is close to c
        assertEquals(3, in.lastMean().data()[3], 1.5);
        BundleAssert.html(di);
    }
}
