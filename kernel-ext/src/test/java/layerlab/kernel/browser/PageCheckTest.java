package layerlab.kernel.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The browser check can fail: a broken image and a blank image are caught, a real one passes. */
class PageCheckTest {
    @Test
    void brokenAndBlankImagesAreReportedAndARealOnePasses() throws Exception {
        Path out = Paths.get("target", "browser").toAbsolutePath();
        Files.createDirectories(out);
        Chromium chromium = Chromium.find(out);
        assertNotNull(chromium, "chromium not found at " + Chromium.where()
                + " (Debian: apt-get install chromium; or -Dlayerlab.chromium=PATH)");

        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:20px\">"
                + "<p>checkerboard</p>" + img(png(checkerboard())) // 0: displayed
                + "<p>broken</p>" + img("data:image/png;base64,AAAA") // 1: cannot be decoded
                + "<p>white</p>" + img(png(white())) // 2: decoded, but blank on the page
                + "</body></html>";
        Path page = out.resolve("page-check.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);

        PageCheck.Result r = PageCheck.run(chromium, page, out.resolve("page-check.png"));

        List<ImageProbe.Img> images = r.report().images();
        assertEquals(3, images.size(), "images on the page: " + images);
        assertTrue(images.get(0).decoded() && images.get(0).width() == 200, "checkerboard decoded: " + images.get(0));
        assertTrue(!images.get(1).decoded(), "broken image reported as not decoded: " + images.get(1));
        assertEquals(2, r.problems().size(), "problems: " + r.problems());
        assertTrue(r.problems().get(0).startsWith("image 1 not decoded"), r.problems().get(0));
        assertTrue(r.problems().get(1).startsWith("image 2 blank"), r.problems().get(1));
        assertTrue(r.lowestContrast() < PageCheck.MIN_CONTRAST, "the white image has no contrast: " + r.lowestContrast());
    }

    private static String img(String src) {
        return "<div><img width=\"200\" height=\"100\" src=\"" + src + "\"></div>";
    }

    private static BufferedImage checkerboard() {
        BufferedImage b = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                b.setRGB(x, y, ((x / 10 + y / 10) % 2 == 0) ? 0x1f77b4 : 0xffffff);
            }
        }
        return b;
    }

    private static BufferedImage white() {
        BufferedImage b = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                b.setRGB(x, y, 0xffffff);
            }
        }
        return b;
    }

    private static String png(BufferedImage b) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(b, "png", bytes);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
