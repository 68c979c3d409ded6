package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.util.List;

/** {@code %device [NAME]}: lists the devices ({@link Devices}), or selects the notebook's default one. */
final class DeviceMagic implements LineMagicFunction<Object> {
    static final String USAGE = "usage: %device [NAME]  (no NAME: list the devices; NAME: select one, e.g. %device cpu)";

    @Override
    public Object execute(List<String> args) {
        if (args.isEmpty()) {
            System.out.print(Devices.describe());
            return null;
        }
        if (args.size() > 1) {
            throw new MagicUsageException("%device takes at most one device name, got " + args.size() + ". " + USAGE);
        }
        try {
            Devices.Entry e = Devices.select(args.get(0));
            System.out.println("device: " + e.name() + " — " + e.description());
        } catch (IllegalArgumentException e) {
            throw new MagicUsageException("%device: " + e.getMessage() + ". " + USAGE);
        }
        return null;
    }
}
