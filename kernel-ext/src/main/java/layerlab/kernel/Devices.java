package layerlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import layerlab.backend.cpu.Parallel;

/**
 * The devices {@code %device} lists and selects.
 *
 * <p>{@link #list()} is the one place the list comes from: the CPU is always there; another
 * backend adds its devices with {@link #addSource(Supplier)} (the OpenCL backend, when it
 * exists, registers one entry per OpenCL device). Until some source lists a GPU, the list says
 * why only the CPU is there.
 */
public final class Devices {
    /** One device: {@code name} is what {@code %device NAME} takes. */
    public record Entry(String name, String description, boolean available, String note) {}

    private static final List<Supplier<List<Entry>>> SOURCES = new CopyOnWriteArrayList<>();
    private static volatile String selected = "cpu";

    /** Shown when no source lists anything beyond the CPU. */
    static final String NO_GPU_NOTE =
            "only the cpu is listed: the GPU (OpenCL) backend is not part of this build yet";

    private Devices() {}

    /** Adds a source of devices (called once by a backend when it is loaded). */
    public static void addSource(Supplier<List<Entry>> source) {
        SOURCES.add(source);
    }

    /** Every device known now, the CPU first. */
    public static List<Entry> list() {
        List<Entry> all = new ArrayList<>();
        all.add(new Entry("cpu", "Java on the CPU, " + Parallel.threads() + " threads", true, ""));
        for (Supplier<List<Entry>> s : SOURCES) {
            all.addAll(s.get());
        }
        return all;
    }

    /** The selected device's name ("cpu" at start). */
    public static String selected() {
        return selected;
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
                selected = key;
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Entry e : all) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name());
        }
        String why = all.size() == 1 ? " (" + NO_GPU_NOTE + ")" : "";
        throw new IllegalArgumentException("unknown device '" + name + "'; available: " + names + why);
    }

    /** The table {@code %device} prints. */
    public static String describe() {
        List<Entry> all = list();
        StringBuilder sb = new StringBuilder("devices:\n");
        for (Entry e : all) {
            sb.append(e.name().equals(selected) ? "* " : "  ").append(e.name()).append(" — ").append(e.description());
            if (!e.available()) {
                sb.append(" (not available: ").append(e.note()).append(')');
            }
            if (e.name().equals(selected)) {
                sb.append(" [selected]");
            }
            sb.append('\n');
        }
        if (all.size() == 1) {
            sb.append(NO_GPU_NOTE).append('\n');
        }
        return sb.toString();
    }
}
