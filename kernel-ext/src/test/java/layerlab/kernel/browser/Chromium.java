package layerlab.kernel.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Debian {@code chromium} driven from the command line: {@code --dump-dom} gives the DOM
 * after the page's scripts ran, {@code --screenshot} a PNG of the viewport. Every run gets a fresh
 * profile directory and no network (all of a notebook's HTML is local: images are data URIs,
 * nbconvert's scripts are file:// paths).
 */
final class Chromium {
    /** Where Debian's {@code chromium} package puts the browser; {@code -Dlayerlab.chromium} overrides. */
    static final String DEFAULT = "/usr/bin/chromium";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path exe;
    private final Path work;

    private Chromium(Path exe, Path work) {
        this.exe = exe;
        this.work = work;
    }

    /** The browser named by {@code -Dlayerlab.chromium}, else {@value #DEFAULT}; null when not installed. */
    static Chromium find(Path work) {
        Path exe = Path.of(System.getProperty("layerlab.chromium", DEFAULT));
        return Files.isExecutable(exe) ? new Chromium(exe, work) : null;
    }

    static String where() {
        return System.getProperty("layerlab.chromium", DEFAULT);
    }

    /** The serialized DOM of {@code html} after load, laid out in a width×height window. */
    String dumpDom(Path html, int width, int height) throws IOException, InterruptedException {
        Path dom = Files.createTempFile(work, "dom-", ".html");
        try {
            run(List.of("--dump-dom", html.toUri().toString()), width, height, dom);
            return Files.readString(dom, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(dom);
        }
    }

    /** A width×height PNG of {@code html} written to {@code png}. */
    void screenshot(Path html, int width, int height, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), html.toUri().toString()), width, height, null);
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private void run(List<String> action, int width, int height, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "profile-");
        Path log = Files.createTempFile(work, "chromium-", ".log");
        List<String> cmd = new ArrayList<>(List.of(exe.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--hide-scrollbars", "--force-device-scale-factor=1",
                "--host-resolver-rules=MAP * ~NOTFOUND",   // nothing leaves the machine
                "--virtual-time-budget=5000",              // let load handlers and image decoding finish
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height));
        cmd.addAll(action);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile());
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + cmd + "\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue() + ": " + cmd + "\n" + tail(log));
            }
            Files.delete(log);
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
