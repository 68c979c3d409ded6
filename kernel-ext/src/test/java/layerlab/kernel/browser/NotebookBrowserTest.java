package layerlab.kernel.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        layerlab.kernel.TestKernelspec.write(dir, name, "layerlab (browser test)");
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

        PageCheck.Result r = PageCheck.run(chromium, html, out.resolve(name + ".png"));
        assertTrue(r.report().images().size() >= expected, name + ": " + expected + " image outputs in the notebook, "
                + r.report().images().size() + " <img> on the page");
        System.out.printf("%s: %d images decoded and visible (lowest luminance std %.1f); page %d px; screenshot %s%n",
                name, r.report().images().size(), r.lowestContrast(), r.report().pageHeight(), r.screenshot());
        if (!r.problems().isEmpty()) {
            fail(name + ": " + String.join("\n", r.problems()));
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
}
