package layerlab.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;

/**
 * What cells import statically ({@code import static layerlab.kernel.Lab.*;} runs at start):
 * display helpers that go through the kernel's renderer registry. Other parts of the lab add
 * their helpers here or next to it.
 *
 * <pre>{@code
 * String id = display(image);     // shows the image, returns its display id
 * updateDisplay(id, nextImage);   // replaces that output in place
 * }</pre>
 */
public final class Lab {
    private static volatile LabKernel kernel;

    private Lab() {}

    static void attach(LabKernel k) {
        kernel = k;
    }

    /** The running kernel, or null outside a notebook. */
    public static LabKernel kernel() {
        return kernel;
    }

    /** The renderer registry (register a view for a type with {@code renderer().createRegistration(T.class)}). */
    public static Renderer renderer() {
        LabKernel k = kernel;
        return k != null ? k.getRenderer() : Rendering.standalone();
    }

    /** Renders {@code value} as the notebook would show it, without showing it. */
    public static DisplayData renderValue(Object value) {
        return Rendering.render(renderer(), value);
    }

    /** The device {@code %device} selected (cpu at start): {@code x.to(device())} moves a tensor there. */
    public static layerlab.tensor.Device device() {
        return layerlab.backend.Backends.current();
    }

    /** Shows {@code value} below the cell now; returns the display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        LabKernel k = kernel;
        if (k == null) {
            System.out.println(value);
            return java.util.UUID.randomUUID().toString();
        }
        return k.display(value, null);
    }

    /** Replaces the output shown under {@code displayId} with {@code value}. */
    public static void updateDisplay(String displayId, Object value) {
        if (displayId == null || displayId.isEmpty()) {
            throw new IllegalArgumentException("updateDisplay: expected the id display(...) returned, got " + displayId);
        }
        LabKernel k = kernel;
        if (k == null) {
            System.out.println(value);
            return;
        }
        k.updateDisplay(displayId, value);
    }
}
