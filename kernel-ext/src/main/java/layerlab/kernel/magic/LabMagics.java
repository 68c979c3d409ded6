package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagicFunction;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernel's magics, one class each, registered in the base library's registry:
 * {@code %classpath}, {@code %timeit}/{@code %%timeit}, {@code %%layers}, {@code %seed},
 * {@code %device}, {@code %whos}, {@code %lsmagic}. Bad arguments throw {@link MagicUsageException} with the usage.
 */
public final class LabMagics {
    private final Set<String> lineNames = new TreeSet<>();
    private final Set<String> cellNames = new TreeSet<>();
    /** Magics that take their argument text as it is (code), not split into words. */
    private final Set<String> raw = Set.of("timeit");

    /** Registers every magic in {@code registry}; those that run code do it through {@code kernel}. */
    public void registerAll(Magics registry, MagicContext kernel) {
        TimeitMagic timeit = new TimeitMagic(kernel);
        line(registry, "classpath", new ClasspathMagic(kernel));
        line(registry, "timeit", timeit);
        cell(registry, "timeit", timeit);
        cell(registry, "layers", new LayersMagic(kernel));
        line(registry, "seed", new SeedMagic());
        line(registry, "device", new DeviceMagic());
        line(registry, "whos", new WhosMagic(kernel));
        line(registry, "lsmagic", new LsMagic(this));
    }

    private void line(Magics registry, String name, LineMagicFunction<?> f) {
        registry.registerLineMagic(name, f);
        lineNames.add(name);
    }

    private void cell(Magics registry, String name, CellMagicFunction<?> f) {
        registry.registerCellMagic(name, f);
        cellNames.add(name);
    }

    public Set<String> lineNames() {
        return lineNames;
    }

    public Set<String> cellNames() {
        return cellNames;
    }

    /** The argument list a magic receives: the raw text for code-taking magics, else words. */
    public List<String> argsFor(String name, String rest) {
        if (raw.contains(name)) {
            return List.of(rest);
        }
        return MagicArgs.split(rest);
    }
}
