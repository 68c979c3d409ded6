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
    private final JavadocSource javadoc = new JavadocSource();

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
        int from = start + anchor[0];
        return new ReplacementOptions(rank(suggestions, code.substring(from, cursor)), from, cursor);
    }

    /** Object's members every type has: listed after the type's own (they are rarely what a student wants). */
    static final Set<String> OBJECT_MEMBERS = Set.of("wait", "notify", "notifyAll", "hashCode", "getClass", "equals", "toString");

    /**
     * The matches as the frontends need them to fill in a shared prefix: names without "(" or "()",
     * no duplicates (overloads), each starting with the typed {@code prefix}; the type's own members
     * first, Object's last, in JShell's order otherwise.
     */
    static List<String> rank(List<SourceCodeAnalysis.Suggestion> suggestions, String prefix) {
        Set<String> own = new LinkedHashSet<>();
        Set<String> object = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            String m = s.continuation().replaceFirst("\\(\\)?$", "");
            if (m.startsWith(prefix)) {
                (OBJECT_MEMBERS.contains(m) ? object : own).add(m);
            }
        }
        List<String> out = new ArrayList<>(own);
        object.removeAll(own);
        out.addAll(object);
        return out;
    }

    /**
     * Shift-Tab: a cell variable's type and value, else the signature(s) under the cursor with their
     * Javadoc — detail 0 the first paragraph, 1 all of it with the tags (and a class's constructors).
     * JShell finds the JDK's Javadoc; layerlab's comes from {@link JavadocSource}.
     */
    DisplayData inspect(String code, int cursor, int detail) throws Exception {
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
            String doc = d.javadoc();
            if (doc == null || doc.isBlank()) {
                doc = javadoc.find(d.signature()).map(JavadocSource.Doc::comment).orElse("");
            }
            appendEntry(text, d.signature(), JavadocText.render(doc, detail));
            if (detail > 0 && !d.signature().contains("(")) {
                constructors(text, JavadocSource.Sig.parse(d.signature()).owner(), detail);
            }
        }
        if (text.length() == 0) {
            classDoc(text, identifierBefore(code, cursor), detail);
        }
        return text.length() == 0 ? null : new DisplayData(text.toString());
    }

    /** A layerlab class named {@code name} (JShell documents no bare class name): its doc and constructors. */
    private void classDoc(StringBuilder text, String name, int detail) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return;
        }
        javadoc.findClass(name).ifPresent(doc -> {
            appendEntry(text, "class " + doc.signature(), JavadocText.render(doc.comment(), detail));
            constructors(text, name, detail);
        });
    }

    /** The public constructors of layerlab class {@code name}, with their doc summaries at detail 1. */
    private void constructors(StringBuilder text, String name, int detail) {
        for (String ctor : javadoc.constructors(name)) {
            text.append("\n").append(detail > 0 ? "\n" : "").append("new ").append(ctor);
            if (detail > 0) {
                String r = JavadocText.render(javadoc.find(ctor).map(JavadocSource.Doc::comment).orElse(""), 0);
                if (!r.isEmpty()) {
                    text.append("\n    ").append(r.replace("\n", "\n    "));
                }
            }
        }
    }

    private static void appendEntry(StringBuilder text, String signature, String doc) {
        if (text.length() > 0) {
            text.append("\n\n");
        }
        text.append(signature);
        if (!doc.isBlank()) {
            text.append("\n\n").append(doc.strip());
        }
    }

    /** The dotted name ending at {@code cursor} ("MaxPool", "MaxPool.Config"). */
    private static String identifierBefore(String code, int cursor) {
        int b = cursor;
        while (b > 0 && (Character.isJavaIdentifierPart(code.charAt(b - 1)) || code.charAt(b - 1) == '.')) {
            b--;
        }
        return code.substring(b, cursor).replaceAll("^\\.+|\\.+$", "");
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
