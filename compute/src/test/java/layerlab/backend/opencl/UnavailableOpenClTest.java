package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without OpenCL the backend reports why and everything runs on the CPU with one notice — in a
 * fresh JVM each, since a JVM opens OpenCL once: (1) an ICD loader that finds no driver
 * (OCL_ICD_VENDORS pointing at an empty folder → CL_PLATFORM_NOT_FOUND_KHR), (2) no platform
 * matching layerlab.opencl.platform.
 */
class UnavailableOpenClTest {
    @TempDir
    Path empty;

    private String probe(Map<String, String> env, String... props) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // JOCL's natives
        }
        cmd.addAll(List.of(props));
        cmd.add(FallbackProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        System.out.println(out);
        return out;
    }

    @Test
    void noDriverRegisteredFallsBackToTheCpuWithTheReason() throws Exception {
        Files.createDirectories(empty);
        String out = probe(Map.of("OCL_ICD_VENDORS", empty.toString(), "OPENCL_VENDOR_PATH", empty.toString()));
        assertTrue(out.contains("reason: OpenCL: clGetPlatformIDs failed with CL_PLATFORM_NOT_FOUND_KHR"), out);
        assertFallback(out);
    }

    @Test
    void noMatchingPlatformFallsBackToTheCpuWithTheReason() throws Exception {
        String out = probe(Map.of(), "-Dlayerlab.opencl.platform=NoSuchVendor");
        assertTrue(out.contains("reason: no OpenCL device on a platform matching 'NoSuchVendor' (platforms found: ["), out);
        assertFallback(out);
    }

    private static void assertFallback(String out) {
        assertTrue(out.contains("selected: cpu"), out);
        assertTrue(out.contains("ran on: cpu Tensor[2] cpu [0.0, 2.0]"), out);
        assertTrue(out.contains("devices: [cpu: "), out);
        assertEquals(1, out.split("layerlab: opencl is unavailable", -1).length - 1, "exactly one notice:\n" + out);
    }
}
