package layerlab.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import layerlab.kernel.exec.CellError;

/** What a magic may ask of the kernel: run code, extend the class path, show a value. */
public interface MagicContext {
    /** Evaluates exactly one snippet of Java; its value, or {@code Evaluator.NO_VALUE}. */
    Object evalSnippet(String source) throws CellError;

    /** Runs a whole cell body (line magics included); its value, or {@code Evaluator.NO_VALUE}. */
    Object runCell(String code) throws CellError;

    /** Adds jars or folders to the compiler's and the class loader's class path. */
    void addToClasspath(List<Path> paths) throws CellError;

    /** Shows {@code value} below the cell now. */
    void display(Object value);
}
