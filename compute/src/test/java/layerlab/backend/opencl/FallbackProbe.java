package layerlab.backend.opencl;

import layerlab.backend.Backends;
import layerlab.nn.ReLU;
import layerlab.tensor.Device;
import layerlab.tensor.Tensor;

/** Run in a separate JVM by {@link UnavailableOpenClTest}: asks for OpenCL where there is none. */
public final class FallbackProbe {
    private FallbackProbe() {}

    public static void main(String[] args) {
        System.out.println("reason: " + Backends.unavailableReason(Device.OPENCL).orElse("none"));
        System.out.println("selected: " + Backends.select(Device.OPENCL).label());
        Tensor x = Tensor.of(new float[] {-1, 2}, 2).to(Device.OPENCL);
        Tensor y = new ReLU().forward(x.to(Device.OPENCL));
        System.out.println("ran on: " + y.device().label() + " " + y);
        System.out.println("devices: " + Backends.available());
    }
}
