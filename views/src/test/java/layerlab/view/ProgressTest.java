package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void barRateEtaAndCurves() {
        AtomicLong now = new AtomicLong(0);
        Progress p = new Progress(100, now::get);
        for (int i = 0; i < 40; i++) {
            now.addAndGet(50_000_000L); // 20 steps/s
            p.step(2.0 * Math.exp(-i / 10.0) + 0.1, Math.min(0.95, 0.3 + i / 50.0));
        }
        DisplayData d = p.toDisplayData();
        String text = BundleAssert.text(d);
        assertTrue(text.startsWith("[########............] step 40/100 (40%) | 20.0 steps/s | ETA 0:03"), text);
        assertTrue(text.contains("acc 95.0%") || text.contains("acc 9"), text);
        BufferedImage img = BundleAssert.picture(d, "progress");
        int filled = 0; // the widest run of the bar's blue in a row above the curves
        for (int y = 0; y < 60; y++) {
            int row = 0;
            for (int x = 0; x < img.getWidth(); x++) {
                row += img.getRGB(x, y) == (0xff000000 | 0x1f77b4) ? 1 : 0;
            }
            filled = Math.max(filled, row);
        }
        int bar = Math.min(720, img.getWidth()) - 2 * Caption.MARGIN;
        assertTrue(Math.abs(filled - 0.4 * bar) <= 3, "the drawn bar is 40% filled: " + filled + " of " + bar + " px");
    }

    @Test
    void refreshIsThrottled() {
        AtomicLong now = new AtomicLong(0);
        Progress p = new Progress(1000, now::get);
        int refreshes = 0;
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(10_000_000L); // 10 ms per step, 10 s in all
            p.step(1.0);
            refreshes += p.shouldRefresh() ? 1 : 0;
        }
        assertTrue(refreshes >= 19 && refreshes <= 22, "about two per second, not one per step: " + refreshes);
    }

    @Test
    void nonFiniteLossIsFlaggedAndBeforeFirstStepRenders() {
        Progress p = new Progress(10);
        assertNotNull(p.toDisplayData().getData(MIMEType.TEXT_HTML));
        p.step(1.0).step(Double.NaN);
        String text = BundleAssert.text(p.toDisplayData());
        assertTrue(text.contains("!!! LOSS IS NaN !!!"), text);
        assertThrows(IllegalArgumentException.class, () -> new Progress(0));
    }

    @Test
    void rendersThroughTheBaseRenderer() {
        Renderer r = new Renderer();
        ViewRenderers.register(r);
        Progress p = new Progress(5).step(1).step(0.5);
        DisplayData d = r.render(p);
        assertTrue(d.getData(MIMEType.TEXT_PLAIN).toString().contains("step 2/5"));
        assertNotNull(d.getData(MIMEType.IMAGE_PNG), "bar, status and curves: one picture");
        assertEquals("0:00", Progress.clock(0.2));
        assertEquals("1:01:05", Progress.clock(3665));
        assertFalse(p.toString().isEmpty());
    }
}
