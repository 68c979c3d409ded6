package layerlab.kernel.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * What a failed snippet shows: the Java message, the offending line with a caret for a compile
 * error, and for an exception a stack trace without the kernel's and JShell's own frames
 * (cell frames read {@code method(cell snippet #12, line 3)}).
 */
public final class CellErrors {
    private CellErrors() {}

    static String describe(Snippet sn) {
        String kind = sn.kind().name().toLowerCase(Locale.ROOT).replace("_", " ");
        if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
            return kind + " " + ds.name();
        }
        return kind;
    }

    /** {@code stillRunning}: the threads cells started that go on after the interrupt. */
    static CellError interrupted(JShellException cause, List<String> stillRunning) {
        String detail = "the cell was interrupted (kernel interrupt); its code was stopped";
        // what the lab knows was left half done (a training loop's step), so later cells are warned
        String left = layerlab.optim.Activity.current().map(layerlab.optim.Activity::interruptedNote).orElse(null);
        if (left != null) {
            detail += "; " + left;
        }
        if (!stillRunning.isEmpty()) {
            detail += "; still running, started by cells: " + String.join(", ", stillRunning)
                    + " — they were interrupted but go on (stop them from your code: a flag they check, or t.interrupt() where they wait)";
        }
        List<String> tb = new ArrayList<>();
        tb.add("Interrupted: " + detail);
        if (cause instanceof EvalException ee) {
            tb.add("  stopped in: " + ee.getExceptionClassName() + (ee.getMessage() != null ? ": " + ee.getMessage() : ""));
        }
        return new CellError("Interrupted", detail, tb);
    }

    /**
     * Where user code sits inside a snippet the kernel wrapped around it: {@code start} and
     * {@code code} (the user's text, as it appears there).
     */
    public record Wrapped(int start, String code) {}

    /**
     * {@code firstLine}: the cell line the snippet starts on. With {@code user} set, the error is
     * shown on the user's code alone (positions in the wrapper clamped to it).
     */
    static CellError compileError(JShell js, Snippet sn, int firstLine, Wrapped user) {
        List<Diag> diags = js.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        String src = user != null ? user.code() : sn.source();
        int shift = user != null ? user.start() : 0;
        List<String> tb = new ArrayList<>();
        String first = diags.isEmpty() ? "the snippet was rejected" : firstLine(message(diags.get(0)));
        if (diags.isEmpty()) {
            tb.add("CompilationError: " + first);
            tb.add(src);
        }
        for (Diag d : diags) {
            tb.add("CompilationError: " + message(d));
            int pos = (int) Math.max(0, Math.min(src.length(), d.getStartPosition() - shift));
            int end = (int) Math.max(pos, Math.min(src.length(), d.getEndPosition() - shift));
            int lineStart = src.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) {
                lineEnd = src.length();
            }
            int lineNo = firstLine + (int) src.substring(0, lineStart).chars().filter(ch -> ch == '\n').count();
            String prefix = String.format(Locale.ROOT, "%4d | ", lineNo);
            tb.add(prefix + src.substring(lineStart, lineEnd));
            int caretLen = Math.max(1, Math.min(end, lineEnd) - pos);
            tb.add(" ".repeat(prefix.length() - 2) + "| " + " ".repeat(pos - lineStart) + "^".repeat(caretLen));
        }
        return new CellError("CompilationError", first, tb);
    }

    /**
     * The compiler's message, where "location: class" would name JShell's wrapper class (printed
     * blank) said as what it is.
     */
    static String message(Diag d) {
        return BLANK_LOCATION.matcher(d.getMessage(Locale.ROOT)).replaceAll("$1 the notebook's cells (nothing of that name is declared in a cell or imported)");
    }

    private static final Pattern BLANK_LOCATION = Pattern.compile("(?m)^(\\s*location:) class\\s*$");

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Where a snippet's source came from: the cell's {@code In [n]} (0: none) and its first line there. */
    public record Origin(int executionCount, int line) {}

    /** {@code origins}: snippet id → where its source came from (null where not known). */
    static CellError runtimeError(JShell js, JShellException ex, Function<String, Origin> origins) {
        EvalException exit = exitIn(ex);
        if (exit != null) {
            List<String> tb = new ArrayList<>();
            appendTrace(js, tb, exit, "", origins);
            tb.set(0, "SystemExit: " + exit.getMessage());
            return new CellError("SystemExit", exit.getMessage(), tb);
        }
        List<String> tb = new ArrayList<>();
        String ename;
        String evalue;
        if (ex instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
            evalue = ee.getMessage() == null ? "" : ee.getMessage();
        } else if (ex instanceof UnresolvedReferenceException ure) {
            ename = "UnresolvedReference";
            String missing = js.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", "));
            evalue = describe(ure.getSnippet()) + " cannot be used until " + missing + " is declared";
        } else {
            ename = ex.getClass().getName();
            evalue = String.valueOf(ex.getMessage());
        }
        appendTrace(js, tb, ex, "", origins);
        return new CellError(ename, evalue, tb);
    }

    /** The {@link CellExit} in an exception's chain (an exit refused by the kernel), or null. */
    private static EvalException exitIn(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EvalException ee && CellExit.CLASS_NAME.equals(ee.getExceptionClassName())) {
                return ee;
            }
        }
        return null;
    }

    private static void appendTrace(JShell js, List<String> tb, Throwable ex, String prefix, Function<String, Origin> origins) {
        String name = ex instanceof EvalException ee ? ee.getExceptionClassName()
                : ex instanceof UnresolvedReferenceException ? "UnresolvedReference" : ex.getClass().getName();
        String msg = ex instanceof UnresolvedReferenceException ure
                ? describe(ure.getSnippet()) + " cannot be used until "
                        + js.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", ")) + " is declared"
                : ex.getMessage();
        tb.add(prefix + name + (msg != null ? ": " + msg : ""));
        for (StackTraceElement f : ex.getStackTrace()) {
            if (isInternalFrame(f)) {
                continue;
            }
            tb.add("\tat " + frame(f, origins));
        }
        Throwable cause = ex.getCause();
        if (cause != null && cause != ex) {
            appendTrace(js, tb, cause, "Caused by: ", origins);
        }
    }

    static boolean isInternalFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("layerlab.kernel.")
                || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("REPL.$Cancel$") || (c.equals("java.lang.Thread") && f.getMethodName().equals("run"));
    }

    /**
     * A cell frame names the cell line where the kernel knows it ({@code In [3] line 9}: a
     * cell's statements run as one snippet, so the snippet's own line says little), and the
     * snippet.
     */
    private static String frame(StackTraceElement f, Function<String, Origin> origins) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            String cls = f.getClassName();
            String method = f.getMethodName();
            String where = (cls.isEmpty() ? "" : cls + ".") + (method.isEmpty() ? "<cell>" : method);
            Origin o = origins.apply(file.substring(1));
            if (o != null && f.getLineNumber() > 0) {
                int line = o.line() + f.getLineNumber() - 1;
                String cell = o.executionCount() > 0 ? "In [" + o.executionCount() + "] line " + line : "cell line " + line;
                return where + "(" + cell + ", cell snippet " + file + ")";
            }
            return where + "(cell snippet " + file + ", line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }
}
