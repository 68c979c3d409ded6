package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.util.List;
import layerlab.tensor.Seeds;

/** {@code %seed N}: restarts the lab's default seeds ({@link Seeds}) from N. */
final class SeedMagic implements LineMagicFunction<Object> {
    static final String USAGE = "usage: %seed N  (N a whole number; restarts the lab's default seeds, layerlab.tensor.Seeds)";

    @Override
    public Object execute(List<String> args) {
        if (args.size() != 1) {
            throw new MagicUsageException("%seed takes exactly one number, got " + args.size() + " arguments. " + USAGE);
        }
        long n;
        try {
            n = Long.parseLong(args.get(0));
        } catch (NumberFormatException e) {
            throw new MagicUsageException("%seed: expected a whole number, got '" + args.get(0) + "'. " + USAGE);
        }
        Seeds.set(n);
        System.out.println("seed set to " + n + " (layerlab.tensor.Seeds)");
        return null;
    }
}
