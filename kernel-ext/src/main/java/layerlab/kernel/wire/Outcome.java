package layerlab.kernel.wire;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;

/** How a cell ended: with a value to show (or none), or with an error output. */
public sealed interface Outcome {
    /** The cell ran to its end; {@code value} is its rendered value, null when there is none to show. */
    record Completed(DisplayData value) implements Outcome {}

    /** The cell failed: the content of the notebook's error output and of the error reply. */
    record Failed(String ename, String evalue, List<String> traceback) implements Outcome {
        public Failed {
            traceback = List.copyOf(traceback);
        }
    }
}
