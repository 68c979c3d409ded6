package layerlab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import layerlab.kernel.Lab;
import org.junit.jupiter.api.Test;

/** The magics' pieces that need no Jupyter: %timeit's units and loop, argument splitting, devices. */
class MagicPartsTest {
    @Test
    void timeitChoosesSensibleUnits() {
        assertEquals("1.50 s", Timeit.format(1.5));
        assertEquals("12.3 ms", Timeit.format(0.0123));
        assertEquals("456 µs", Timeit.format(456e-6));
        assertEquals("7.00 ns", Timeit.format(7e-9));
        assertEquals("0 ns", Timeit.format(0));
    }

    @Test
    void timeitMeasuresAndReportsLoopsAndRuns() throws Throwable {
        int[] calls = new int[1];
        Timeit.Result r = Timeit.run(10, 3, () -> calls[0]++);
        assertEquals(10, r.loops());
        assertEquals(3, r.runs());
        assertEquals(10 + 30, calls[0], "one warm-up run and three timed runs of 10 loops");
        assertTrue(r.toString().endsWith("per loop (median ± std. dev. of 3 runs, 10 loops each)"), r.toString());
        assertThrows(IllegalArgumentException.class, () -> Timeit.run(1, 0, () -> { }));
    }

    @Test
    void magicArgumentsSplitOnBlanksAndKeepQuotedWords() {
        assertEquals(List.of("a", "b c", "d"), MagicArgs.split(" a  'b c' d "));
        assertEquals(List.of(), MagicArgs.split("   "));
        assertEquals(System.getProperty("user.home") + "/x.jar", MagicArgs.expand("~/x.jar").toString());
    }

    @Test
    void devicesListEveryBackendAndSelectTheDefault() {
        assertEquals("cpu", Devices.list().get(0).name());
        Devices.Entry opencl = Devices.list().get(1);
        assertEquals("opencl", opencl.name());
        assertTrue(opencl.available(), "PoCL must be installed here: " + opencl.note());
        assertTrue(Devices.describe().contains("* cpu"), Devices.describe());
        assertEquals("opencl", Devices.select("OpenCL").name());
        assertEquals(layerlab.tensor.Device.OPENCL, Lab.device());
        assertTrue(Devices.describe().contains("* opencl"), Devices.describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.select("tpu"));
        assertTrue(e.getMessage().contains("unknown device 'tpu'; devices: cpu, opencl"), e.getMessage());
        assertEquals("cpu", Devices.select("CPU").name());
    }
}
