package layerlab.kernel;

import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.github.spencerpark.jupyter.kernel.magic.registry.UndefinedMagicException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import layerlab.kernel.exec.CellError;
import layerlab.kernel.exec.CellErrors;
import layerlab.kernel.exec.Evaluator;
import layerlab.kernel.exec.Session;
import layerlab.kernel.magic.LabMagics;
import layerlab.kernel.magic.MagicContext;
import layerlab.kernel.magic.MagicUsageException;

/**
 * One cell's text: a cell magic ({@code %%name} on the first line), or Java with line magics
 * ({@code %name ...}) between its lines. The Java runs through the {@link Evaluator}; magics
 * through the base library's registry.
 */
final class CellRunner implements MagicContext {
    private final Session session;
    private final Evaluator evaluator;
    private final Magics registry = new Magics();
    private final LabMagics magics = new LabMagics();
    private final LabKernel kernel;

    CellRunner(Session session, Evaluator evaluator, LabKernel kernel) {
        this.session = session;
        this.evaluator = evaluator;
        this.kernel = kernel;
        magics.registerAll(registry, this);
    }

    LabMagics magics() {
        return magics;
    }

    /** Runs one cell; returns its value or {@link Evaluator#NO_VALUE}. */
    @Override
    public Object runCell(String code) throws CellError {
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            int nl = stripped.indexOf('\n');
            String head = (nl < 0 ? stripped : stripped.substring(0, nl)).substring(2).strip();
            String body = nl < 0 ? "" : stripped.substring(nl + 1);
            String name = head.split("\\s+", 2)[0];
            String rest = head.length() > name.length() ? head.substring(name.length()).strip() : "";
            return cellMagic(name, rest, body);
        }
        Object last = Evaluator.NO_VALUE;
        StringBuilder chunk = new StringBuilder();
        int chunkLine = 1; // the cell line where the current chunk of Java starts
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].stripLeading();
            if (t.startsWith("%") && !t.startsWith("%%") && t.length() > 1 && Character.isLetter(t.charAt(1))) {
                if (!chunk.toString().isBlank()) {
                    last = evaluator.runCode(session.jshell(), chunk.toString(), chunkLine);
                }
                chunk.setLength(0);
                chunkLine = i + 2;
                last = lineMagic(t.substring(1).strip());
            } else {
                chunk.append(lines[i]).append('\n');
            }
        }
        if (!chunk.toString().isBlank()) {
            last = evaluator.runCode(session.jshell(), chunk.toString(), chunkLine);
        }
        return last;
    }

    private Object lineMagic(String call) throws CellError {
        String name = call.split("\\s+", 2)[0];
        String rest = call.length() > name.length() ? call.substring(name.length()).strip() : "";
        try {
            Object r = registry.applyLineMagic(name, magics.argsFor(name, rest));
            return r == null ? Evaluator.NO_VALUE : r;
        } catch (UndefinedMagicException e) {
            throw CellError.usage("unknown line magic %" + name + ". Available line magics: " + names("%", magics.lineNames())
                    + "; cell magics: " + names("%%", magics.cellNames()));
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    private Object cellMagic(String name, String rest, String body) throws CellError {
        try {
            Object r = registry.applyCellMagic(name, magics.argsFor(name, rest), body);
            return r == null ? Evaluator.NO_VALUE : r;
        } catch (UndefinedMagicException e) {
            throw CellError.usage("unknown cell magic %%" + name + ". Available cell magics: " + names("%%", magics.cellNames())
                    + "; line magics: " + names("%", magics.lineNames()));
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    private static String names(String prefix, Set<String> names) {
        return names.stream().map(n -> prefix + n).collect(Collectors.joining(", "));
    }

    private static CellError asCellError(Exception e) {
        Throwable t = e;
        // the registry wraps what a magic throws
        while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CellError ce) {
            return ce;
        }
        if (t instanceof MagicUsageException u) {
            return CellError.usage(u.getMessage());
        }
        return new CellError(t.getClass().getName(), String.valueOf(t.getMessage()),
                List.of(t.getClass().getName() + ": " + t.getMessage()));
    }

    // ------------------------------------------------------------------ MagicContext

    @Override
    public Object evalSnippet(String source) throws CellError {
        return evaluator.evalSnippet(session.jshell(), source);
    }

    @Override
    public Object evalWrapped(String source, CellErrors.Wrapped user) throws CellError {
        return evaluator.evalWrapped(session.jshell(), source, user);
    }

    @Override
    public void addToClasspath(List<Path> paths) throws CellError {
        session.addToClasspath(paths);
    }

    @Override
    public jdk.jshell.JShell jshell() throws CellError {
        return session.jshell();
    }

    @Override
    public void display(Object value) {
        kernel.display(value, null);
    }
}
