package layerlab.kernel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Javadoc of layerlab's own classes for inspect replies. JShell only reads the JDK's src.zip,
 * so the build copies compute's and views' sources into the kernel's jar under
 * {@code layerlab-sources/} (kernel-ext/pom.xml); this class finds a class by its simple name there,
 * parses the file with javac (parse only, no attribution) and returns the doc comment of the class,
 * a constructor or a method, matched by name and parameter types as JShell's signatures print them.
 */
final class JavadocSource {
    private static final Logger LOG = Logger.getLogger(JavadocSource.class.getName());
    static final String ROOT = "layerlab-sources";

    /** A documented member: its signature as written in the source, and its raw doc comment. */
    record Doc(String signature, String comment) {}

    /** simple class name (top level) -> source files that declare it, found lazily. */
    private Map<String, List<String>> files;
    private final Map<String, CompilationUnitTree> parsed = new HashMap<>();
    private DocTrees trees;

    /** The doc of the class, constructor or method JShell's {@code signature} names, if layerlab's. */
    Optional<Doc> find(String signature) {
        try {
            Sig s = Sig.parse(signature);
            return s == null ? Optional.empty() : find(s, 0);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "javadoc of " + signature, e);
            return Optional.empty();
        }
    }

    /** The doc of class {@code name} (simple or dotted nested name) and its constructors' signatures. */
    Optional<Doc> findClass(String name) {
        return find(new Sig(name, null, null), 0);
    }

    /** Signatures of the public constructors of class {@code name}, as written in its source. */
    List<String> constructors(String name) {
        List<String> out = new ArrayList<>();
        TreePath cls = classPath(name);
        if (cls != null) {
            for (Tree m : ((ClassTree) cls.getLeaf()).getMembers()) {
                if (m instanceof MethodTree mt && mt.getName().contentEquals("<init>")
                        && mt.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PUBLIC)) {
                    out.add(signatureOf((ClassTree) cls.getLeaf(), mt));
                }
            }
        }
        return out;
    }

    private Optional<Doc> find(Sig s, int depth) {
        TreePath cls = classPath(s.owner());
        if (cls == null || depth > 3) {
            return Optional.empty();
        }
        ClassTree ct = (ClassTree) cls.getLeaf();
        if (s.member() == null) {
            return Optional.of(new Doc(ct.getSimpleName().toString(), comment(cls)));
        }
        String wanted = s.isConstructor() ? "<init>" : s.member();
        MethodTree byArity = null;
        for (Tree m : ct.getMembers()) {
            if (m instanceof MethodTree mt && mt.getName().contentEquals(wanted)) {
                List<String> types = mt.getParameters().stream().map(p -> Sig.simpleType(p.getType().toString())).toList();
                if (types.equals(s.params())) {
                    return Optional.of(new Doc(signatureOf(ct, mt), comment(new TreePath(cls, mt))));
                }
                if (types.size() == s.params().size() && byArity == null) {
                    byArity = mt;
                }
            }
        }
        if (byArity != null) {
            return Optional.of(new Doc(signatureOf(ct, byArity), comment(new TreePath(cls, byArity))));
        }
        // an inherited method: look in the superclass and interfaces (by simple name)
        List<Tree> supers = new ArrayList<>(ct.getImplementsClause());
        if (ct.getExtendsClause() != null) {
            supers.add(0, ct.getExtendsClause());
        }
        for (Tree sup : supers) {
            Optional<Doc> d = find(new Sig(Sig.simpleType(sup.toString()), s.member(), s.params()), depth + 1);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private String comment(TreePath path) {
        String c = trees.getDocComment(path);
        return c == null ? "" : c;
    }

    private static String signatureOf(ClassTree owner, MethodTree mt) {
        StringBuilder b = new StringBuilder();
        if (mt.getName().contentEquals("<init>")) {
            b.append(owner.getSimpleName());
        } else {
            b.append(mt.getReturnType()).append(' ').append(owner.getSimpleName()).append('.').append(mt.getName());
        }
        b.append('(');
        for (int i = 0; i < mt.getParameters().size(); i++) {
            VariableTree p = mt.getParameters().get(i);
            b.append(i > 0 ? ", " : "").append(p.getType()).append(' ').append(p.getName());
        }
        return b.append(')').toString();
    }

    /** The class tree named {@code name} ("Tensor", "MaxPool.Config"), or null. */
    private synchronized TreePath classPath(String name) {
        String[] parts = name.split("\\.");
        List<String> candidates = index().getOrDefault(parts[0], List.of());
        for (String file : candidates) {
            CompilationUnitTree cu = parsed.computeIfAbsent(file, this::parse);
            if (cu == null) {
                continue;
            }
            TreePath path = new TreePath(cu);
            List<? extends Tree> members = cu.getTypeDecls();
            for (String part : parts) {
                TreePath next = null;
                for (Tree t : members) {
                    if (t instanceof ClassTree c && c.getSimpleName().contentEquals(part)) {
                        next = new TreePath(path, c);
                        break;
                    }
                }
                if (next == null) {
                    path = null;
                    break;
                }
                path = next;
                members = ((ClassTree) next.getLeaf()).getMembers();
            }
            if (path != null) {
                return path;
            }
        }
        return null;
    }

    private CompilationUnitTree parse(String resource) {
        try (InputStream in = JavadocSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            SimpleJavaFileObject fo = new SimpleJavaFileObject(URI.create("string:///" + resource), SimpleJavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            };
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(fo));
            CompilationUnitTree cu = task.parse().iterator().next();
            trees = DocTrees.instance(task);
            return cu;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "parsing " + resource, e);
            return null;
        }
    }

    /** Finds every {@code .java} under {@code layerlab-sources/} in the jar or classes folder. */
    private Map<String, List<String>> index() {
        if (files != null) {
            return files;
        }
        files = new HashMap<>();
        try {
            URL url = JavadocSource.class.getClassLoader().getResource(ROOT + "/layerlab");
            if (url == null) {
                LOG.info("no " + ROOT + " in the kernel's class path: inspect shows signatures without Javadoc");
                return files;
            }
            URI uri = url.toURI();
            Path root;
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                root = fs.getPath(ROOT);
            } else {
                root = Path.of(uri).getParent();
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    String simple = p.getFileName().toString().replace(".java", "");
                    files.computeIfAbsent(simple, k -> new ArrayList<>()).add(ROOT + "/" + rel);
                });
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "indexing " + ROOT, e);
        }
        return files;
    }

    /** What a JShell signature names: the owner class, the member (null: the class) and parameter types. */
    record Sig(String owner, String member, List<String> params) {
        boolean isConstructor() {
            return member != null && owner.endsWith(member) && (owner.equals(member) || owner.endsWith("." + member));
        }

        /** "MaxPool(int kernel)", "Tensor Tensor.randn(int... shape)", "ReLU"; null if unreadable. */
        static Sig parse(String signature) {
            String s = signature.strip();
            int open = s.indexOf('(');
            if (open < 0) {
                return new Sig(lastChain(s, s.length()), null, null);
            }
            String chain = lastChain(s, open);
            if (chain.isEmpty()) {
                return null;
            }
            boolean hasReturnType = !s.substring(0, open - chain.length()).isBlank();
            int close = s.lastIndexOf(')');
            List<String> params = new ArrayList<>();
            for (String p : splitTopLevel(s.substring(open + 1, close < open ? s.length() : close))) {
                String t = p.strip();
                int sp = t.lastIndexOf(' ');
                params.add(simpleType(sp > 0 ? t.substring(0, sp) : t));
            }
            int dot = chain.lastIndexOf('.');
            if (hasReturnType && dot > 0) {
                return new Sig(chain.substring(0, dot), chain.substring(dot + 1), params);
            }
            return new Sig(chain, chain.substring(dot + 1), params);
        }

        /** "java.util.List<Foo>" -> "List", "int..." -> "int[]", "MaxPool.Config" -> "Config". */
        static String simpleType(String type) {
            String t = type.replaceAll("<.*>", "").replace("...", "[]").replaceAll("\\s+", "");
            if (t.startsWith("final")) {
                t = t.substring(5);
            }
            String dims = t.replaceAll("^[^\\[]*", "");
            String base = t.substring(0, t.length() - dims.length());
            return base.substring(base.lastIndexOf('.') + 1) + dims;
        }

        private static String lastChain(String s, int end) {
            int b = end;
            while (b > 0 && (Character.isJavaIdentifierPart(s.charAt(b - 1)) || s.charAt(b - 1) == '.')) {
                b--;
            }
            String chain = s.substring(b, end);
            // JShell may print fully qualified names: keep the class part (from the first capital)
            String[] parts = chain.split("\\.");
            int first = 0;
            while (first < parts.length - 1 && !parts[first].isEmpty() && Character.isLowerCase(parts[first].charAt(0))) {
                first++;
            }
            return String.join(".", java.util.Arrays.asList(parts).subList(first, parts.length));
        }

        private static List<String> splitTopLevel(String params) {
            List<String> out = new ArrayList<>();
            int depth = 0;
            int from = 0;
            for (int i = 0; i < params.length(); i++) {
                char c = params.charAt(i);
                if (c == '<') {
                    depth++;
                } else if (c == '>') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    out.add(params.substring(from, i));
                    from = i + 1;
                }
            }
            if (!params.substring(from).isBlank()) {
                out.add(params.substring(from));
            }
            return out;
        }
    }
}
