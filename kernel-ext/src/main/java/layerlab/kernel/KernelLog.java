package layerlab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends all java.util.logging output to a file, never to the console: the kernel's stderr is
 * the cell's stderr stream, and graders count any stderr as a failure.
 *
 * <p>File: {@code $LAYERLAB_LOG}, else {@code ~/.local/share/layerlab/kernel.log}. Level:
 * {@code $LAYERLAB_LOG_LEVEL} (default INFO).
 */
final class KernelLog {
    private KernelLog() {}

    static Path file() {
        String env = System.getenv("LAYERLAB_LOG");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".local", "share", "layerlab", "kernel.log");
    }

    static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset(); // removes the console handler
        Logger root = Logger.getLogger("");
        Level level = Level.INFO;
        String lv = System.getenv("LAYERLAB_LOG_LEVEL");
        if (lv != null && !lv.isBlank()) {
            try {
                level = Level.parse(lv.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // keep INFO
            }
        }
        root.setLevel(level);
        try {
            Path f = file();
            if (f.getParent() != null) {
                Files.createDirectories(f.getParent());
            }
            FileHandler h = new FileHandler(f.toString(), 5_000_000, 1, true);
            h.setFormatter(new SimpleFormatter());
            h.setLevel(level);
            root.addHandler(h);
        } catch (IOException | RuntimeException e) {
            // no log file: logging is dropped (never sent to the notebook)
            root.setLevel(Level.OFF);
        }
    }
}
