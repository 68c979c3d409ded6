package layerlab.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.backend.Pointwise;
import layerlab.backend.Backends;
import layerlab.backend.DeviceInfo;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Context, buffers, program cache, build errors and device loss on the OpenCL platform found here (PoCL in CI). */
class OpenClRuntimeTest {
    @Test
    void listsTheDeviceWithItsProperties() {
        OpenClBackend cl = ClTests.backend();
        DeviceInfo d = cl.devices().get(0);
        System.out.println("OpenCL device: " + d);
        assertEquals(Device.OPENCL, d.device());
        assertTrue(d.memoryBytes() > 0 && d.computeUnits() > 0, d.toString());
        assertTrue(d.version().startsWith("OpenCL"), d.version());
        assertTrue(Backends.available().stream().anyMatch(i -> i.device() == Device.OPENCL));
        assertTrue(Backends.available().stream().anyMatch(i -> i.device() == Device.CPU));
    }

    @Test
    void theDefaultDeviceCanBeSelectedAndReported() {
        ClTests.backend();
        try {
            assertEquals(Device.OPENCL, Backends.select(Device.OPENCL));
            assertEquals(Device.OPENCL, Backends.current());
            String report = Backends.report();
            System.out.println(report);
            assertTrue(report.contains("opencl: ") && report.contains("cpu: ") && report.endsWith("default: opencl"), report);
        } finally {
            Backends.select(Device.CPU);
        }
        assertEquals(Device.CPU, Backends.current());
    }

    @Test
    void roundTripKeepsEveryBitAndCountsTwoTransfers() {
        OpenClBackend cl = ClTests.backend();
        Tensor x = Tensor.randn(Seed.of(5), 3, 4, 5);
        long before = cl.transfers();
        Tensor d = x.to(Device.OPENCL);
        assertEquals(Device.OPENCL, d.device());
        assertArrayEquals(x.shape(), d.shape());
        Tensor back = d.to(Device.CPU);
        assertEquals(2, cl.transfers() - before);
        assertArrayEquals(x.data(), back.data());
        assertEquals(x, d.reshape(12, 5).reshape(3, 4, 5), "equals reads the device tensor back");
    }

    @Test
    void deviceTensorsHaveNoHostArray() {
        Tensor d = Tensor.ones(2, 3).to(ClTests.backend().device());
        IllegalStateException e = assertThrows(IllegalStateException.class, d::data);
        assertEquals("Tensor.data(): this tensor [2, 3] lives on opencl, not in host memory;"
                + " call to(Device.CPU) first to read it", e.getMessage());
        assertTrue(d.toString().startsWith("Tensor[2, 3] opencl"), d.toString());
    }

    @Test
    void zerosLikeCopyAndFillStayOnTheDevice() {
        OpenClBackend cl = ClTests.backend();
        Tensor d = Tensor.full(3f, 7).to(Device.OPENCL);
        Tensor z = d.zerosLike();
        Tensor c = d.copy();
        cl.fill(d, 5f);
        assertEquals(Device.OPENCL, z.device());
        assertArrayEquals(new float[7], z.toArray());
        assertArrayEquals(Tensor.full(3f, 7).data(), c.toArray());
        assertArrayEquals(Tensor.full(5f, 7).data(), d.toArray());
    }

    @Test
    void rngMatchesTheCpuGeneratorBitForBit() {
        OpenClBackend cl = ClTests.backend();
        for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
            float[] dev = cl.rngUniform(seed, 4097).toArray();
            for (int i = 0; i < dev.length; i++) {
                assertEquals(Rng.uniform(seed, i), dev[i], "seed " + seed + " index " + i);
            }
        }
    }

    @Test
    void programsAreCompiledOnceAndCachedPerDefines() {
        OpenClBackend cl = ClTests.backend();
        Tensor x = Tensor.randn(Seed.of(9), 1234).to(Device.OPENCL);
        Tensor y = x.zerosLike();
        cl.activationForward(Pointwise.RELU, y, x, 0f);
        long builds = cl.rt().builds().size();
        cl.activationForward(Pointwise.RELU, y, x, 0f);
        assertEquals(builds, cl.rt().builds().size(), "the second launch reuses the program");
        Tensor x2 = Tensor.randn(Seed.of(9), 1235).to(Device.OPENCL);
        cl.activationForward(Pointwise.RELU, x2.zerosLike(), x2, 0f);
        assertEquals(builds + 1, cl.rt().builds().size(), "another shape is another program");
    }

    @Test
    void everyKernelFamilyBuildsAtTheBenchmarkShapes() {
        OpenClBackend cl = ClTests.backend();
        KernelSource.families(new ClLaunch(cl).wg(), cl.rt().fp64).forEach((family, defines) -> cl.rt().program(family, defines));
    }

    @Test
    void garbageBuffersAreReleasedOnceTheQueueIsIdle() {
        OpenClBackend cl = ClTests.backend();
        System.gc();
        cl.finish();
        long before = cl.rt().liveBytes.get();
        for (int i = 0; i < 20; i++) {
            Tensor t = Tensor.zeros(1 << 16).to(Device.OPENCL);
            cl.activationForward(Pointwise.RELU, t.zerosLike(), t, 0f);
        }
        for (int i = 0; i < 50 && cl.rt().liveBytes.get() > before + (1 << 20); i++) {
            System.gc();
            cl.finish(); // releases what the Cleaner retired
        }
        assertTrue(cl.rt().liveBytes.get() <= before + (1 << 20), "live bytes " + cl.rt().liveBytes.get());
    }

    @Test
    void aBrokenKernelReportsItsNameAndTheBuildLog() {
        OpenClBackend cl = ClTests.backend();
        KernelSource.override("broken", "__kernel void broken(__global float* y) { y[0] = undefined_name; }");
        try {
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> cl.rt().kernel("broken", "-DN=1", "broken"));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
            assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
            assertTrue(e.buildLog().contains("undefined_name"), e.buildLog());
        } finally {
            KernelSource.override("broken", null);
        }
    }

    @Test
    void aTensorWhoseContextWasReleasedGivesAClearError() {
        OpenClBackend cl = ClTests.backend();
        Tensor d = Tensor.ones(4).to(Device.OPENCL);
        String name = cl.rt().deviceName;
        cl.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.to(Device.CPU));
        assertTrue(e.getMessage().contains("OpenCL device " + name + " is gone"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cl.activationForward(Pointwise.RELU, Tensor.ones(4).to(Device.OPENCL), d, 0f));
        // the backend opens a fresh context for new tensors
        assertFalse(cl.unavailableReason().isPresent());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).to(Device.OPENCL).toArray());
    }
}
