package layerlab.backend;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import layerlab.tensor.Device;
import layerlab.tensor.DeviceMemory;
import layerlab.tensor.Tensor;

/**
 * The facade over the backends: which devices exist, which one is the default, and the
 * backend a layer calls for its input ({@code Backends.of(x).poolForward(y, argmax, x, windows)}).
 *
 * <p>Backends are found with {@link ServiceLoader} on first use. A backend that cannot run here
 * (no OpenCL loader, no platform, no device) says why in {@link #unavailableReason(Device)};
 * asking for it then falls back to the CPU with one notice instead of failing.
 */
public final class Backends {
    private static Map<Device, Backend> loaded;         // guarded by Backends.class
    private static volatile Device current = Device.CPU;
    private static boolean noticeGiven;                  // guarded by Backends.class

    private Backends() {}

    private static synchronized Map<Device, Backend> all() {
        if (loaded == null) {
            Map<Device, Backend> m = new EnumMap<>(Device.class);
            for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
                m.putIfAbsent(b.device(), b);
            }
            loaded = m;
        }
        return loaded;
    }

    /** The backend of a device; fails with the reason if it cannot run here. */
    public static Backend of(Device device) {
        Backend b = all().get(device);
        if (b == null) {
            throw new IllegalStateException("Backends: no " + device.label() + " backend on the class path");
        }
        Optional<String> why = b.unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException("Backends: " + device.label() + " is unavailable: " + why.get());
        }
        return b;
    }

    /** The backend of the device a tensor lives on: where a layer runs. */
    public static Backend of(Tensor x) {
        return of(x.device());
    }

    /** Why a device's backend cannot run here; empty when it can. */
    public static Optional<String> unavailableReason(Device device) {
        Backend b = all().get(device);
        return b == null ? Optional.of("no " + device.label() + " backend on the class path") : b.unavailableReason();
    }

    /** Every device of every backend that can run here, CPU first. */
    public static List<DeviceInfo> available() {
        List<DeviceInfo> out = new ArrayList<>();
        for (Backend b : all().values()) {
            if (b.unavailableReason().isEmpty()) {
                out.addAll(b.devices());
            }
        }
        return out;
    }

    /**
     * Makes {@code device} the default (what the {@code %device} magic sets); returns the device
     * actually selected — the CPU, with one notice, when the asked one is unavailable.
     */
    public static Device select(Device device) {
        current = usable(device);
        return current;
    }

    /** The default device (CPU unless {@link #select} chose another). */
    public static Device current() {
        return current;
    }

    /** Moves a tensor to another tensor's device if needed: the parameters of a layer follow its input. */
    public static Tensor onDeviceOf(Tensor like, Tensor t) {
        return t.device() == like.device() ? t : t.to(like.device());
    }

    /**
     * What {@code layerlab.tensor} finds through ServiceLoader to put a tensor on a device
     * ({@code Tensor.to}, {@code Tensor.zeros(device, …)}): these backends, so that tensors and
     * layers share one backend per device (a second OpenCL backend would be a second context).
     */
    public static final class Registry implements DeviceMemory.Registry {
        @Override
        public DeviceMemory of(Device device) {
            return Backends.of(device);
        }

        @Override
        public Device usable(Device device) {
            return Backends.usable(device);
        }
    }

    private static Device usable(Device device) {
        Optional<String> why = unavailableReason(device);
        if (why.isEmpty()) {
            return device;
        }
        synchronized (Backends.class) {
            if (!noticeGiven) {
                noticeGiven = true;
                System.out.println("layerlab: " + device.label() + " is unavailable (" + why.get()
                        + "); running on the cpu");
            }
        }
        return Device.CPU;
    }

    /**
     * One line per backend: its devices, or why it cannot run here, and which is the default —
     * what the {@code %device} magic prints.
     */
    public static String report() {
        StringBuilder sb = new StringBuilder();
        for (Backend b : all().values()) {
            Optional<String> why = b.unavailableReason();
            if (why.isPresent()) {
                sb.append(b.device().label()).append(": unavailable — ").append(why.get()).append('\n');
            } else {
                b.devices().forEach(d -> sb.append(d).append('\n'));
            }
        }
        return sb.append("default: ").append(current.label()).toString();
    }
}
