package layerlab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The kernelspec the protocol tests run when none is installed ({@code -Dlayerlab.kernelspec}
 * unset): this module's classes on the test's own JVM, started as {@code ./lab} starts the
 * installed kernel — with the exit guard's agent ({@code -javaagent}, here a jar holding only
 * the manifest; its class comes from the class path).
 */
public final class TestKernelspec {
    private TestKernelspec() {}

    /** Writes {@code dir/kernels/NAME/kernel.json}; set {@code JUPYTER_PATH=dir} for the client. */
    public static void write(Path dir, String name, String displayName) throws IOException {
        Path spec = dir.resolve("kernels").resolve(name);
        Files.createDirectories(spec);
        JsonArray argv = new JsonArray();
        argv.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("layerlab.kernel.jvmflags", "-Djava.awt.headless=true").split("\\s+")) {
            if (!flag.isBlank()) {
                argv.add(flag);
            }
        }
        argv.add("-javaagent:" + agentJar(spec));
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("layerlab.kernel.LabKernel");
        argv.add("{connection_file}");
        JsonObject kj = new JsonObject();
        kj.add("argv", argv);
        kj.addProperty("display_name", displayName);
        kj.addProperty("language", "java");
        kj.addProperty("interrupt_mode", "message");
        Files.writeString(spec.resolve("kernel.json"), kj.toString(), StandardCharsets.UTF_8);
    }

    private static Path agentJar(Path dir) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", "layerlab.kernel.exec.ExitAgent");
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("agent.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
