package layerlab.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import layerlab.kernel.exec.CellError;
import layerlab.kernel.exec.CellErrors;

/** What a magic may ask of the kernel: run code, extend the class path, show a value. */
public interface MagicContext {
    /** Evaluates exactly one snippet of Java; its value, or {@code Evaluator.NO_VALUE}. */
    Object evalSnippet(String source) throws CellError;

    /**
     * Evaluates one snippet that wraps the user's code: a compile error shows {@code user}'s code,
     * not the wrapper around it.
     */
    Object evalWrapped(String source, CellErrors.Wrapped user) throws CellError;

    /** Runs a whole cell body (line magics included); its value, or {@code Evaluator.NO_VALUE}. */
    Object runCell(String code) throws CellError;

    /** Adds jars or folders to the compiler's and the class loader's class path. */
    void addToClasspath(List<Path> paths) throws CellError;

    /** The notebook's JShell (its variables, for {@code %whos}). */
    jdk.jshell.JShell jshell() throws CellError;

    /** Shows {@code value} below the cell now. */
    void display(Object value);
}
