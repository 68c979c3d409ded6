package layerlab.view;

import layerlab.backend.Backends;
import layerlab.tensor.Device;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A tensor on the OpenCL device is labelled with its device, though its values are copied to the
 * CPU to be drawn. Runs on a real OpenCL device (PoCL in CI); OpenCL missing is a failure.
 */
class DeviceLabelTest {
    @Test
    void theLabelNamesTheDeviceTheTensorIsOn() {
        Optional<String> why = Backends.unavailableReason(Device.OPENCL);
        if (why.isPresent()) { // OpenCL is part of the lab (PoCL in CI): missing, it fails, never skips
            fail("OpenCL is unavailable, so the device label cannot be checked: " + why.get());
        }
        Tensor host = Tensor.randn(Seed.of(17), 3);
        Tensor onDevice = host.to(Device.OPENCL);
        assertEquals(Device.OPENCL, onDevice.device());
        String grid = BundleAssert.text(Views.show(onDevice));
        assertTrue(grid.contains("Tensor shape [3] on opencl |"), grid);
        assertTrue(BundleAssert.html(Views.show(onDevice)).contains("on opencl |"));
        assertTrue(grid.contains(Html.num(host.data()[0])), "the values came back from the device: " + grid);
        Tensor maps = Tensor.randn(Seed.of(18), 1, 2, 12, 12).to(Device.OPENCL);
        assertTrue(BundleAssert.text(Views.show(maps)).contains("Tensor shape [1, 2, 12, 12] on opencl |"));
        assertTrue(BundleAssert.text(Views.featureMaps(maps)).contains("on opencl |"));
        assertTrue(BundleAssert.text(Views.histogram(maps)).contains("on opencl |"));
        assertTrue(BundleAssert.text(Views.show(Tensor.randn(Seed.of(19), 200).to(Device.OPENCL))).contains("on opencl |"));
        assertTrue(BundleAssert.text(Views.show(host)).contains("on cpu |"), "a CPU tensor still says cpu");
        assertEquals(Device.OPENCL, onDevice.device(), "showing it does not move it");
    }

}
