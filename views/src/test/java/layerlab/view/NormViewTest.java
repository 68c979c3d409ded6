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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        BundleAssert.png(d, "bn-stats");
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
        BundleAssert.png(d, "bn-monitor");
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
        String svg = d.getData(MIMEType.IMAGE_SVG).toString();
        assertTrue(svg.contains("Group Norm"));
        assertTrue(svg.contains("opacity=\"0.35\""), "the other three kinds are faded");
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
