package layerlab.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import layerlab.backend.Backends;
import layerlab.backend.DeviceInfo;
import layerlab.backend.cpu.Parallel;
import layerlab.tensor.Device;

/**
 * What {@code %device} lists and selects: one entry per backend ({@link Backends}, found through
 * ServiceLoader). Selecting sets the notebook's default device ({@link Backends#current()});
 * tensors still move explicitly ({@code x.to(device())}) and layers run where their input lives.
 */
public final class Devices {
    /** One device: {@code name} is what {@code %device NAME} takes. */
    public record Entry(String name, String description, boolean available, String note) {}

    private Devices() {}

    /** Every backend's device, the CPU first; an unavailable one says why. */
    public static List<Entry> list() {
        List<Entry> all = new ArrayList<>();
        for (Device d : Device.values()) {
            Optional<String> why = Backends.unavailableReason(d);
            String description = d == Device.CPU
                    ? "Java on the CPU, " + Parallel.threads() + " threads"
                    : why.isPresent() ? "OpenCL" : describe(d);
            all.add(new Entry(d.label(), description, why.isEmpty(), why.orElse("")));
        }
        return all;
    }

    private static String describe(Device d) {
        StringBuilder sb = new StringBuilder();
        for (DeviceInfo info : Backends.available()) {
            if (info.device() == d) {
                sb.append(sb.length() == 0 ? "" : "; ").append(info.toString().substring(d.label().length() + 2));
            }
        }
        return sb.toString();
    }

    /** The selected device's name ("cpu" at start). */
    public static String selected() {
        return Backends.current().label();
    }

    /** Selects a device by name; throws with the list of choices when it is unknown or unavailable. */
    public static Entry select(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<Entry> all = list();
        for (Entry e : all) {
            if (e.name().equals(key)) {
                if (!e.available()) {
                    throw new IllegalArgumentException("device " + key + " is not available: " + e.note());
                }
                Backends.select(Device.valueOf(key.toUpperCase(Locale.ROOT)));
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Entry e : all) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name());
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; devices: " + names);
    }

    /** The table {@code %device} prints. */
    public static String describe() {
        StringBuilder sb = new StringBuilder("devices:\n");
        String selected = selected();
        for (Entry e : list()) {
            boolean on = e.name().equals(selected);
            sb.append(on ? "* " : "  ").append(e.name()).append(" — ").append(e.description());
            if (!e.available()) {
                sb.append(" (not available: ").append(e.note()).append(')');
            }
            sb.append(on ? " [selected]\n" : "\n");
        }
        return sb.append("tensors move explicitly: x.to(device()) or x.to(Device.OPENCL); layers run where their input lives\n")
                .toString();
    }
}
