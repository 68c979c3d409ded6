package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the Python probes in {@code src/test/python} with Debian's {@code jupyter_client}
 * against the kernel and reads its observations. Kernel: the installed kernelspec named by
 * {@code -Dlayerlab.kernelspec} (as {@code ./lab test} does), else a temporary one
 * ({@link TestKernelspec}). No Python or no jupyter_client is a failure, not a skip.
 */
final class Probe {
    final JsonObject obs;
    final String kernelLog;
    final String kernelName;
    /** The probe's own folder (its work files, the kernel log). */
    final Path dir;

    private Probe(JsonObject obs, String kernelLog, String kernelName, Path dir) {
        this.obs = obs;
        this.kernelLog = kernelLog;
        this.kernelName = kernelName;
        this.dir = dir;
    }

    /** Runs {@code script KERNEL [args...] OUT.json}; {@code args} may name {@code dir}'s files. */
    static Probe run(String script, long minutes, String... args) throws Exception {
        Path dir = Files.createTempDirectory("layerlab-probe");
        String python = System.getProperty("layerlab.python", "/usr/bin/python3");
        String kernelName = System.getProperty("layerlab.kernelspec", "");
        ProcessBuilder pb = new ProcessBuilder();
        if (kernelName.isBlank()) {
            kernelName = "layerlab-test";
            TestKernelspec.write(dir, kernelName, "layerlab (test)");
            pb.environment().put("JUPYTER_PATH", dir.toString());
        }
        Path out = dir.resolve("observations.json");
        Path log = dir.resolve("kernel.log");
        Path probeOut = dir.resolve("probe-output.txt");
        pb.environment().put("LAYERLAB_LOG", log.toString());
        List<String> command = new ArrayList<>(List.of(python,
                Paths.get("src", "test", "python", script).toAbsolutePath().toString(), kernelName));
        for (String a : args) {
            command.add(a.replace("{dir}", dir.toString()));
        }
        command.add(out.toString());
        pb.command(command).redirectErrorStream(true).redirectOutput(probeOut.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String probeText = Files.exists(probeOut) ? Files.readString(probeOut) : "";
        String logText = Files.exists(log) ? Files.readString(log) : "(no kernel log)";
        assertTrue(done, script + " did not finish in " + minutes + " minutes\n" + probeText);
        assertTrue(Files.exists(out), script + " wrote no observations (is /usr/bin/python3 with jupyter_client installed?)\n"
                + probeText + "\nkernel log:\n" + logText);
        JsonObject obs = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertFalse(obs.has("probe_error"), () -> script + " failed: " + obs.get("probe_error").getAsString()
                + "\nkernel log:\n" + logText);
        return new Probe(obs, logText, kernelName, dir);
    }
}
