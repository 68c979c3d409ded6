package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagicFunction;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import layerlab.kernel.exec.CellError;

/**
 * {@code %timeit [-n LOOPS] [-r RUNS] CODE} and {@code %%timeit}: compiles the code into a
 * {@link Timeit.Body} lambda in a snippet, so it runs on the cell's thread (the interrupt button
 * stops it like any cell), and lets {@link Timeit} measure it.
 */
final class TimeitMagic implements LineMagicFunction<Object>, CellMagicFunction<Object> {
    static final String USAGE = "usage: %timeit [-n LOOPS] [-r RUNS] STATEMENT_OR_EXPRESSION  (or %%timeit [-n LOOPS] [-r RUNS] with the code in the cell)";
    private static final Pattern OPTION = Pattern.compile("(-[nr])(?:\\s*(\\S+))?");

    private final MagicContext kernel;

    TimeitMagic(MagicContext kernel) {
        this.kernel = kernel;
    }

    /** Line form: the one argument is the rest of the line, as typed. */
    @Override
    public Object execute(List<String> args) throws Exception {
        return timeit(args.isEmpty() ? "" : args.get(0), null);
    }

    @Override
    public Object execute(List<String> args, String body) throws Exception {
        return timeit(args.isEmpty() ? "" : args.get(0), body);
    }

    private Object timeit(String argText, String cellBody) throws CellError {
        int loops = 0;
        int runs = 7;
        // options come first; the rest of the line is code, taken as it was typed
        String rest = argText.strip();
        Matcher m;
        while ((m = OPTION.matcher(rest)).lookingAt()) {
            int v = number(m.group(1), m.group(2));
            if (m.group(1).equals("-n")) {
                loops = v;
            } else {
                runs = v;
            }
            rest = rest.substring(m.end()).stripLeading();
        }
        if (rest.matches("(?s)-[a-zA-Z](\\s.*)?")) {
            throw new MagicUsageException("%timeit: unknown option " + rest.split("\\s+")[0] + ". " + USAGE);
        }
        String code = cellBody != null ? cellBody : rest;
        if (code.isBlank()) {
            throw new MagicUsageException("%timeit: nothing to time. " + USAGE);
        }
        run(loops, runs, code);
        return null;
    }

    private static int number(String option, String value) {
        if (value == null) {
            throw new MagicUsageException("%timeit: " + option + " needs a number. " + USAGE);
        }
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MagicUsageException("%timeit: " + option + " expects a whole number, got '" + value + "'. " + USAGE);
        }
        if (v < 1) {
            throw new MagicUsageException("%timeit: " + option + " expects a number >= 1, got " + v + ". " + USAGE);
        }
        return v;
    }

    /** Tries the code as an expression, as a statement, then as a block of statements. */
    private void run(int loops, int runs, String code) throws CellError {
        String trimmed = code.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        String call = Timeit.class.getName() + ".run(" + loops + ", " + runs + ", () -> ";
        List<String> candidates = List.of(
                call + "{ " + Timeit.class.getName() + ".sink(" + trimmed + "); });",
                call + "{ " + trimmed + "; });",
                call + "{\n" + code + "\n});");
        CellError first = null;
        for (String cand : candidates) {
            try {
                kernel.evalSnippet(cand);
                return;
            } catch (CellError e) {
                if (!"CompilationError".equals(e.ename)) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new CellError("CompilationError", "%timeit: the code does not compile as a statement or an expression: "
                + first.evalue, first.traceback);
    }
}
