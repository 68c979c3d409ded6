package layerlab.kernel;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import layerlab.kernel.exec.CellError;
import layerlab.kernel.exec.Session;
import layerlab.kernel.magic.LabMagics;
import layerlab.kernel.wire.Kernel;

/**
 * Help while typing: completion, inspection (signature and Javadoc) and "is this cell complete?",
 * all from JShell's source analysis, on the snippet of the cell that holds the cursor.
 */
final class CodeAssist {
    private final Session session;
    private final LabMagics magics;

    CodeAssist(Session session, LabMagics magics) {
        this.session = session;
        this.magics = magics;
    }

    /** Start offset of the snippet containing {@code cursor} (cells hold several snippets). */
    private int snippetStart(SourceCodeAnalysis sca, String code, int cursor) {
        int start = 0;
        String rest = code.substring(0, cursor);
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            boolean complete = ci.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
                    || ci.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
            if (!complete || ci.remaining().isBlank()) {
                return start;
            }
            start += rest.length() - ci.remaining().length();
            rest = ci.remaining();
        }
    }

    /** "Type name = value" when the identifier ending at {@code cursor} is a cell variable (not a member access). */
    private static String describeVariable(JShell js, String code, int cursor) {
        int b = cursor;
        while (b > 0 && Character.isJavaIdentifierPart(code.charAt(b - 1))) {
            b--;
        }
        if (b == cursor || (b > 0 && code.charAt(b - 1) == '.')) {
            return null;
        }
        String ident = code.substring(b, cursor);
        for (VarSnippet v : js.variables().collect(Collectors.toList())) {
            if (v.name().equals(ident) && js.status(v).isActive()) {
                return v.typeName() + " " + v.name() + " = " + js.varValue(v);
            }
        }
        return null;
    }

    /** Start offset of the current line when it is a line magic, else -1. */
    private static int magicLineStart(String code, int cursor) {
        int ls = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        if (cursor == 0) {
            ls = 0;
        }
        String line = code.substring(ls, cursor).stripLeading();
        return line.startsWith("%") ? ls : -1;
    }

    ReplacementOptions complete(String code, int cursor) throws Exception {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int ml = magicLineStart(code, cursor);
        if (ml >= 0) {
            String line = code.substring(ml, cursor).stripLeading();
            if (!line.contains(" ")) {
                String prefix = line.replaceFirst("^%%?", "");
                List<String> names = new ArrayList<>();
                boolean cell = line.startsWith("%%");
                for (String n : cell ? magics.cellNames() : magics.lineNames()) {
                    if (n.startsWith(prefix)) {
                        names.add(n);
                    }
                }
                return new ReplacementOptions(names, cursor - prefix.length(), cursor);
            }
            return null;
        }
        JShell js = session.jshell();
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        int start = snippetStart(sca, code, cursor);
        String src = code.substring(start);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = sca.completionSuggestions(src, cursor - start, anchor);
        Set<String> matches = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            String m = s.continuation();
            if (m.endsWith("()")) {
                m = m.substring(0, m.length() - 2);
            } else if (m.endsWith("(")) {
                m = m.substring(0, m.length() - 1);
            }
            matches.add(m);
        }
        return new ReplacementOptions(new ArrayList<>(matches), start + anchor[0], cursor);
    }

    DisplayData inspect(String code, int cursor, boolean extraDetail) throws Exception {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        // move to the end of the identifier under the cursor
        while (cursor < code.length() && Character.isJavaIdentifierPart(code.charAt(cursor))) {
            cursor++;
        }
        JShell js = session.jshell();
        String variable = describeVariable(js, code, cursor);
        if (variable != null) {
            return new DisplayData(variable);
        }
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        int start = snippetStart(sca, code, cursor);
        String src = code.substring(start);
        List<SourceCodeAnalysis.Documentation> docs = sca.documentation(src, cursor - start, true);
        if (docs.isEmpty()) {
            // JShell documents a method when the cursor is inside its argument list
            String withParen = code.substring(start, cursor) + "(";
            docs = sca.documentation(withParen, withParen.length(), true);
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append("\n\n").append(d.javadoc().strip());
            }
        }
        return text.length() == 0 ? null : new DisplayData(text.toString());
    }

    String isComplete(String code) {
        try {
            JShell js = session.jshell();
            SourceCodeAnalysis sca = js.sourceCodeAnalysis();
            String stripped = code.stripLeading();
            if (stripped.startsWith("%%")) {
                return Kernel.COMPLETE;
            }
            StringBuilder java = new StringBuilder();
            for (String line : code.split("\n", -1)) {
                if (!line.stripLeading().startsWith("%")) {
                    java.append(line).append('\n');
                }
            }
            String rest = java.toString();
            while (true) {
                SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
                switch (ci.completeness()) {
                    case COMPLETE, COMPLETE_WITH_SEMI -> {
                        if (ci.remaining().isBlank()) {
                            return Kernel.COMPLETE;
                        }
                        rest = ci.remaining();
                    }
                    case EMPTY -> {
                        return Kernel.COMPLETE;
                    }
                    case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                        return indentFor(code);
                    }
                    default -> {
                        return Kernel.INVALID;
                    }
                }
            }
        } catch (CellError e) {
            return Kernel.UNKNOWN;
        }
    }

    /** Indent for the next line: four spaces per unclosed brace or parenthesis (at least four). */
    static String indentFor(String code) {
        int depth = 0;
        for (char ch : code.toCharArray()) {
            if (ch == '{' || ch == '(' || ch == '[') {
                depth++;
            } else if ((ch == '}' || ch == ')' || ch == ']') && depth > 0) {
                depth--;
            }
        }
        return "    ".repeat(Math.max(1, depth));
    }
}
