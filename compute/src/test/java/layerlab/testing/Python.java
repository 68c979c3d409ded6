package layerlab.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system Python 3 with NumPy as an independent oracle (the .npy format's reference
 * implementation). A missing interpreter or NumPy fails the test with what to install; it is
 * never a skip.
 */
public final class Python {
    public static final String EXE = "/usr/bin/python3";

    private Python() {}

    /** Fails with install instructions unless {@code /usr/bin/python3 -c "import numpy"} works. */
    public static void requireNumpy() {
        Run r = exec("import numpy");
        if (r.exit != 0) {
            fail("NumPy is needed as the .npy oracle but '" + EXE + " -c \"import numpy\"' failed (exit "
                    + r.exit + "): " + r.errors.strip() + "\nInstall it: apt-get install -y python3-numpy");
        }
    }

    /** Runs a script with arguments and returns its standard output; fails the test (showing stderr) if it exits non-zero. */
    public static String run(String script, String... args) {
        Run r = exec(script, args);
        if (r.exit != 0) {
            fail(EXE + " exited with " + r.exit + ":\n" + r.output + r.errors);
        }
        return r.output;
    }

    private record Run(int exit, String output, String errors) {}

    private static Run exec(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(EXE, "-c", script));
        cmd.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("python-stderr", ".txt");
            try {
                // stderr apart: NumPy's warnings must not mix into the values we parse
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Run(-1, "", "timed out after 60 s");
                }
                return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Run(-1, "", "cannot start " + EXE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        }
    }
}
