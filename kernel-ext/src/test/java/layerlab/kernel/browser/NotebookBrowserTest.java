package layerlab.kernel.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lecture notebooks as a student sees them in a browser: each is executed headless through
 * the real kernel by real Jupyter ({@code scripts/run_notebooks.py}, nbclient on
 * {@code /usr/bin/python3}; any error output or stderr fails), converted to HTML by nbconvert,
 * and opened in headless {@code chromium}. A script injected into a copy of the page reports
 * every {@code <img>}'s decode state and position; the screenshot (kept under
 * {@code target/browser/NAME.png}) must show non-blank pixels where each image sits.
 *
 * <p>Kernel: the installed kernelspec named by {@code -Dlayerlab.kernelspec} (as {@code ./lab test}
 * runs it), else a temporary kernelspec running this module's classes with the test's JVM. No
 * chromium, no Python or no Jupyter is a failure, not a skip (CI installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebookBrowserTest {
    /** The notebooks checked here (lecture §1 and §2). */
    static final List<String> NOTEBOOKS = List.of("01-pooling", "02-activations");
    static final int WIDTH = 1280;
    /** A page taller than this is a notebook to split, not a screenshot to take. */
    static final int MAX_HEIGHT = 32000;
    /** Luminance standard deviation (0–255) below which an image's region counts as blank. */
    static final double MIN_CONTRAST = 8;

    private Path out;
    private Chromium chromium;

    @BeforeAll
    void executeNotebooks() throws Exception {
        out = Paths.get("target", "browser").toAbsolutePath();
        Files.createDirectories(out);
        chromium = Chromium.find(out);
        assertNotNull(chromium, "chromium not found at " + Chromium.where()
                + " (Debian: apt-get install chromium; or -Dlayerlab.chromium=PATH)");

        Path root = Paths.get("").toAbsolutePath().getParent();
        Path runner = root.resolve("scripts").resolve("run_notebooks.py");
        assertTrue(Files.isRegularFile(runner), "notebook runner missing: " + runner);
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("layerlab.python", "/usr/bin/python3"),
                runner.toString(), "--out", out.toString(), "--kernel"));
        ProcessBuilder pb = new ProcessBuilder();
        cmd.add(kernelName(pb.environment()::put));
        for (String name : NOTEBOOKS) {
            cmd.add(root.resolve("notebooks").resolve(name + ".ipynb").toString());
        }
        Path log = out.resolve("run_notebooks.log");
        pb.environment().put("LAYERLAB_LOG", out.resolve("kernel.log").toString());
        Process p = pb.command(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "notebooks did not finish in 15 minutes\n" + text);
        assertEquals(0, p.exitValue(), "executing the notebooks failed:\n" + text);
        System.out.print(text);
    }

    /** The kernelspec to run: {@code -Dlayerlab.kernelspec}, else a temporary one on the test class path. */
    private String kernelName(java.util.function.BiConsumer<String, String> env) throws Exception {
        String installed = System.getProperty("layerlab.kernelspec", "");
        if (!installed.isBlank()) {
            return installed;
        }
        String name = "layerlab-browser-test";
        Path dir = Files.createTempDirectory(out, "jupyter-");
        Path spec = dir.resolve("kernels").resolve(name);
        Files.createDirectories(spec);
        JsonArray argv = new JsonArray();
        argv.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("layerlab.kernel.jvmflags", "-Djava.awt.headless=true").split("\\s+")) {
            if (!flag.isBlank()) {
                argv.add(flag);
            }
        }
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("layerlab.kernel.LabKernel");
        argv.add("{connection_file}");
        JsonObject kj = new JsonObject();
        kj.add("argv", argv);
        kj.addProperty("display_name", "layerlab (browser test)");
        kj.addProperty("language", "java");
        kj.addProperty("interrupt_mode", "message");
        Files.writeString(spec.resolve("kernel.json"), kj.toString(), StandardCharsets.UTF_8);
        env.accept("JUPYTER_PATH", dir.toString());
        return name;
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-pooling", "02-activations"})
    void everyImageIsDisplayed(String name) throws Exception {
        Path html = out.resolve(name + ".html");
        assertTrue(Files.isRegularFile(html), "nbconvert wrote no " + html);
        int expected = imageOutputs(out.resolve(name + ".ipynb"));
        assertTrue(expected > 0, name + ": the executed notebook has no image outputs");

        Path page = out.resolve(name + ".probe.html");
        Files.writeString(page, ImageProbe.inject(Files.readString(html, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        int height = ImageProbe.parse(chromium.dumpDom(page, WIDTH, 1000)).pageHeight();
        assertTrue(height > 0 && height <= MAX_HEIGHT, name + ": page height " + height + " px, expected 1…" + MAX_HEIGHT);
        ImageProbe.Report report = ImageProbe.parse(chromium.dumpDom(page, WIDTH, height));
        Path png = out.resolve(name + ".png");
        chromium.screenshot(page, WIDTH, height, png);

        assertTrue(report.images().size() >= expected, name + ": " + expected + " image outputs in the notebook, "
                + report.images().size() + " <img> on the page");
        BufferedImage shot = ImageIO.read(png.toFile());
        assertNotNull(shot, "not a PNG: " + png);
        assertEquals(WIDTH, shot.getWidth(), "screenshot width");
        assertEquals(height, shot.getHeight(), "screenshot height");
        List<String> problems = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        for (ImageProbe.Img im : report.images()) {
            if (!im.decoded()) {
                problems.add("image " + im.index() + " not decoded: " + im);
                continue;
            }
            if (im.width() < 16 || im.height() < 16) {
                problems.add("image " + im.index() + " drawn too small: " + im);
                continue;
            }
            if (im.x() < 0 || im.y() < 0 || im.x() + im.width() > shot.getWidth() || im.y() + im.height() > shot.getHeight()) {
                problems.add("image " + im.index() + " outside the screenshot: " + im);
                continue;
            }
            double contrast = luminanceStd(shot, im.x(), im.y(), im.width(), im.height());
            lowest = Math.min(lowest, contrast);
            if (contrast < MIN_CONTRAST) {
                problems.add(String.format("image %d blank in the screenshot (luminance std %.2f < %.0f): %s",
                        im.index(), contrast, MIN_CONTRAST, im));
            }
        }
        System.out.printf("%s: %d images decoded and visible (lowest luminance std %.1f); page %d px; screenshot %s%n",
                name, report.images().size(), lowest, height, png);
        if (!problems.isEmpty()) {
            fail(name + ": " + String.join("\n", problems));
        }
    }

    /** Images nbconvert's HTML will show: {@code <img>} tags inside HTML outputs, else PNG/SVG outputs. */
    static int imageOutputs(Path ipynb) throws Exception {
        JsonObject nb = JsonParser.parseString(Files.readString(ipynb, StandardCharsets.UTF_8)).getAsJsonObject();
        Pattern img = Pattern.compile("<img\\b");
        int count = 0;
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!cell.has("outputs")) {
                continue;
            }
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject data = o.getAsJsonObject().getAsJsonObject("data");
                if (data == null) {
                    continue;
                }
                if (data.has("text/html")) {
                    Matcher m = img.matcher(joined(data.get("text/html")));
                    while (m.find()) {
                        count++;
                    }
                } else if (data.has("image/png") || data.has("image/svg+xml")) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String joined(JsonElement e) {
        if (!e.isJsonArray()) {
            return e.getAsString();
        }
        StringBuilder sb = new StringBuilder();
        e.getAsJsonArray().forEach(s -> sb.append(s.getAsString()));
        return sb.toString();
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
