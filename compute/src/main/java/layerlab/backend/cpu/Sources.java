package layerlab.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real source of a reference loop, for a notebook cell:
 * {@code Sources.method(PoolKernels.class, "backward")} shows the backward MaxPool and AvgPool
 * run — the code that computes, not a copy. The build ships the {@code *Kernels.java} files and
 * {@code layerlab/backend/PoolWindows.java} (the windows the pooling loops walk) inside the compute
 * jar (under {@value #DIR}), so this works from an installed kernel too.
 */
public final class Sources {
    static final String DIR = "META-INF/layerlab-sources/";

    private Sources() {}

    /**
     * One method of a source file: {@code file} as it lies in the repository, the 1-based
     * {@code firstLine} of {@code text} there (its Javadoc, when it has one); the text is the
     * Javadoc and the method, indented as in the file. {@link #toString()} is the text.
     */
    public record Method(String file, String method, int firstLine, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The whole source file of a reference-loop class, as shipped. */
    public static String file(Class<?> kernels) {
        String name = kernels.getName().replace('.', '/') + ".java";
        try (InputStream in = Sources.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("Sources: expected a class whose source the jar carries (a *Kernels"
                        + " class of layerlab.backend.cpu, or layerlab.backend.PoolWindows; under " + DIR + "), got "
                        + kernels.getName() + ", whose source is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Sources: reading " + DIR + name, e);
        }
    }

    /** The method {@code name} of {@code kernels} with its Javadoc; a clear error lists the methods when there is none. */
    public static Method method(Class<?> kernels, String name) {
        String src = file(kernels);
        String[] lines = src.split("\n", -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = DECLARATION.matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            names.add(m.group(1));
            if (m.group(1).equals(name)) {
                int first = javadocStart(lines, i);
                int last = closingLine(lines, i);
                StringBuilder text = new StringBuilder();
                for (int k = first; k <= last; k++) {
                    text.append(lines[k]).append('\n');
                }
                return new Method("compute/src/main/java/" + kernels.getName().replace('.', '/') + ".java", name,
                        first + 1, text.toString());
            }
        }
        throw new IllegalArgumentException("Sources.method: expected a method of " + kernels.getSimpleName()
                + " (" + String.join(", ", names) + "), got \"" + name + "\"");
    }

    /** A method declaration at class level: four spaces, modifiers, a return type, the name, "(". */
    private static final Pattern DECLARATION = Pattern.compile(
            "^    (?:(?:public|private|protected|static|final)\\s+)+[\\w<>\\[\\], ]+?\\s(\\w+)\\s*\\(");

    /** The line of the Javadoc ("/**") just above line {@code decl}, or {@code decl} without one. */
    private static int javadocStart(String[] lines, int decl) {
        int k = decl - 1;
        while (k >= 0 && lines[k].trim().startsWith("@")) {
            k--; // annotations belong to the method
        }
        if (k < 0 || !lines[k].trim().endsWith("*/")) {
            return k + 1;
        }
        while (k >= 0 && !lines[k].trim().startsWith("/**")) {
            k--;
        }
        return Math.max(k, 0);
    }

    /** The line of the brace that closes the method declared at line {@code decl} (braces in strings and comments skipped). */
    private static int closingLine(String[] lines, int decl) {
        int depth = 0;
        boolean opened = false;
        boolean block = false;
        for (int k = decl; k < lines.length; k++) {
            String l = lines[k];
            for (int j = 0; j < l.length(); j++) {
                char ch = l.charAt(j);
                if (block) {
                    if (ch == '*' && j + 1 < l.length() && l.charAt(j + 1) == '/') {
                        block = false;
                        j++;
                    }
                } else if (ch == '/' && j + 1 < l.length() && l.charAt(j + 1) == '/') {
                    break;
                } else if (ch == '/' && j + 1 < l.length() && l.charAt(j + 1) == '*') {
                    block = true;
                    j++;
                } else if (ch == '"' || ch == '\'') {
                    j++;
                    while (j < l.length() && l.charAt(j) != ch) {
                        j += l.charAt(j) == '\\' ? 2 : 1; // an escape skips the character after it
                    }
                } else if (ch == '{') {
                    depth++;
                    opened = true;
                } else if (ch == '}' && --depth == 0 && opened) {
                    return k;
                }
            }
        }
        throw new IllegalStateException("Sources: the method declared at line " + (decl + 1) + " never closes");
    }
}
