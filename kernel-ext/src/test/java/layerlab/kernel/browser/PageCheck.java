package layerlab.kernel.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Opens a page in headless chromium and checks that every image on it is displayed: decoded by
 * the browser, drawn at a readable size, and not blank in a full-page screenshot.
 *
 * <p>Three browser runs: the probe at a small window gives the page height; the probe again at
 * 1280 × height gives the image boxes for exactly the layout the screenshot (1280 × height) shows.
 */
final class PageCheck {
    static final int WIDTH = 1280;
    /** A page taller than this is a notebook to split, not a screenshot to take. */
    static final int MAX_HEIGHT = 32000;
    /** Luminance standard deviation (0–255) below which an image's region counts as blank. */
    static final double MIN_CONTRAST = 8;
    /** Smaller than this on the page (CSS px) and nobody can read it. */
    static final int MIN_SIDE = 16;

    /** What the browser showed; {@code problems} is empty when every image is displayed. */
    record Result(ImageProbe.Report report, Path screenshot, double lowestContrast, List<String> problems) {}

    private PageCheck() {}

    /** Checks {@code html} (left untouched; the probe runs on a copy beside the screenshot). */
    static Result run(Chromium chromium, Path html, Path png) throws IOException, InterruptedException {
        String name = png.getFileName().toString().replaceFirst("\\.png$", "");
        Path page = png.resolveSibling(name + ".probe.html");
        Files.writeString(page, ImageProbe.inject(Files.readString(html, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        int height = ImageProbe.parse(chromium.dumpDom(page, WIDTH, 1000)).pageHeight();
        if (height < 1 || height > MAX_HEIGHT) {
            throw new IllegalStateException(html + ": page height " + height + " px, expected 1…" + MAX_HEIGHT);
        }
        ImageProbe.Report report = ImageProbe.parse(chromium.dumpDom(page, WIDTH, height));
        chromium.screenshot(page, WIDTH, height, png);
        BufferedImage shot = ImageIO.read(png.toFile());
        if (shot == null || shot.getWidth() != WIDTH || shot.getHeight() != height) {
            throw new IllegalStateException(png + ": expected a " + WIDTH + "×" + height + " PNG, got "
                    + (shot == null ? "no image" : shot.getWidth() + "×" + shot.getHeight()));
        }
        List<String> problems = new ArrayList<>();
        double lowest = Double.NaN;
        for (ImageProbe.Img im : report.images()) {
            String problem = problem(shot, im);
            if (problem != null) {
                problems.add("image " + im.index() + " " + problem + ": " + im);
                continue;
            }
            double contrast = luminanceStd(shot, im.x(), im.y(), im.width(), im.height());
            lowest = Double.isNaN(lowest) ? contrast : Math.min(lowest, contrast);
            if (contrast < MIN_CONTRAST) {
                problems.add(String.format("image %d blank in the screenshot (luminance std %.2f < %.0f): %s",
                        im.index(), contrast, MIN_CONTRAST, im));
            }
        }
        return new Result(report, png, lowest, problems);
    }

    private static String problem(BufferedImage shot, ImageProbe.Img im) {
        if (!im.decoded()) {
            return "not decoded by the browser";
        }
        if (im.width() < MIN_SIDE || im.height() < MIN_SIDE) {
            return "drawn smaller than " + MIN_SIDE + " px";
        }
        if (im.x() < 0 || im.y() < 0 || im.x() + im.width() > shot.getWidth() || im.y() + im.height() > shot.getHeight()) {
            return "outside the screenshot";
        }
        return null;
    }

    /** Standard deviation of the luminance (0–255) over a rectangle of the screenshot. */
    static double luminanceStd(BufferedImage img, int x0, int y0, int w, int h) {
        double sum = 0;
        double sumSq = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = img.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                sum += l;
                sumSq += l * l;
            }
        }
        double n = (double) w * h;
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }
}
