package layerlab.kernel.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
final class CellErrors {
    private CellErrors() {}

    static String describe(Snippet sn) {
        String kind = sn.kind().name().toLowerCase(Locale.ROOT).replace("_", " ");
        if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
            return kind + " " + ds.name();
        }
        return kind;
    }

    static CellError interrupted(JShellException cause) {
        String detail = "the cell was interrupted (kernel interrupt); its code was stopped";
        List<String> tb = new ArrayList<>();
        tb.add("Interrupted: " + detail);
        if (cause instanceof EvalException ee) {
            tb.add("  stopped in: " + ee.getExceptionClassName() + (ee.getMessage() != null ? ": " + ee.getMessage() : ""));
        }
        return new CellError("Interrupted", detail, tb);
    }

    /** {@code firstLine}: the cell line the snippet starts on. */
    static CellError compileError(JShell js, Snippet sn, int firstLine) {
        List<Diag> diags = js.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        String src = sn.source();
        List<String> tb = new ArrayList<>();
        String first = diags.isEmpty() ? "the snippet was rejected" : firstLine(diags.get(0).getMessage(Locale.ROOT));
        if (diags.isEmpty()) {
            tb.add("CompilationError: " + first);
            tb.add(src);
        }
        for (Diag d : diags) {
            tb.add("CompilationError: " + d.getMessage(Locale.ROOT));
            int pos = (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
            int end = (int) Math.max(pos, Math.min(src.length(), d.getEndPosition()));
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

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static CellError runtimeError(JShell js, JShellException ex) {
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
        appendTrace(js, tb, ex, "");
        return new CellError(ename, evalue, tb);
    }

    private static void appendTrace(JShell js, List<String> tb, Throwable ex, String prefix) {
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
            tb.add("\tat " + frame(f));
        }
        Throwable cause = ex.getCause();
        if (cause != null && cause != ex) {
            appendTrace(js, tb, cause, "Caused by: ");
        }
    }

    static boolean isInternalFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("layerlab.kernel.")
                || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("REPL.$Cancel$") || (c.equals("java.lang.Thread") && f.getMethodName().equals("run"));
    }

    private static String frame(StackTraceElement f) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            String cls = f.getClassName();
            String method = f.getMethodName();
            String where = (cls.isEmpty() ? "" : cls + ".") + (method.isEmpty() ? "<cell>" : method);
            return where + "(cell snippet " + file + ", line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }
}
