package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagicFunction;
import java.util.List;
import layerlab.kernel.exec.Evaluator;
import layerlab.nn.Trace;
import layerlab.view.Views;

/**
 * {@code %%layers}: runs the cell with a shared {@link Trace} open, then shows every layer that
 * ran inside a Sequential, Residual or Concat with its output; the cell's value is kept.
 */
final class LayersMagic implements CellMagicFunction<Object> {
    static final String USAGE = "usage: %%layers  (first line of a cell; the cell's code runs as usual, then every layer"
            + " that ran inside a Sequential, Residual or Concat is shown with its output)";

    private final MagicContext kernel;

    LayersMagic(MagicContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public Object execute(List<String> args, String body) throws Exception {
        if (!args.isEmpty()) {
            throw new MagicUsageException("%%layers takes no arguments, got '" + String.join(" ", args) + "'. " + USAGE);
        }
        if (body.isBlank()) {
            throw new MagicUsageException("%%layers: the cell has no code to run. " + USAGE);
        }
        Object value;
        List<Trace.Entry> entries;
        try (Trace trace = Trace.startShared()) {
            value = kernel.runCell(body);
            entries = trace.entries();
        }
        if (entries.isEmpty()) {
            System.out.println("%%layers: no layer ran inside a Sequential, Residual or Concat in this cell");
        } else {
            kernel.display(Views.layers(entries));
        }
        return value == Evaluator.NO_VALUE ? null : value;
    }
}
