package layerlab.kernel.wire;

import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;

/**
 * What the protocol layer ({@link Dispatcher}) asks of the kernel behind it. The names are the
 * base library's ({@code BaseKernel}), so a kernel built on it implements most of this as it is.
 */
public interface Kernel {
    /** {@link #isComplete}'s answers (the base library's values); any other answer is an indent. */
    String COMPLETE = "complete";
    String INVALID = "invalid";
    String UNKNOWN = "unknown";

    LanguageInfo getLanguageInfo();

    String getBanner();

    List<LanguageInfo.Help> getHelpLinks();

    /**
     * Runs one cell and says how it ended. What the cell itself did wrong is a
     * {@link Outcome.Failed}, never an exception; the output it printed has been sent when this
     * returns.
     */
    Outcome execute(ExecuteRequest request);

    /** Completions at {@code cursor}, or null for none. */
    ReplacementOptions complete(String code, int cursor) throws Exception;

    /** What to show for the code at {@code cursor} (Shift-Tab), or null for nothing. */
    DisplayData inspect(String code, int cursor, int detailLevel) throws Exception;

    /** {@link #COMPLETE}, {@link #INVALID}, {@link #UNKNOWN}, or the indent of the next line (incomplete). */
    String isComplete(String code);

    /** Stops the running cell (interrupt_request). */
    void interrupt();
}
