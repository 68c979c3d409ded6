package layerlab.kernel;

import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import layerlab.tensor.Seeds;

/**
 * The kernel's magics, registered in the base library's registry: {@code %classpath},
 * {@code %timeit}/{@code %%timeit}, {@code %%layers}, {@code %seed}, {@code %device}, {@code %lsmagic}.
 * Bad arguments throw {@link MagicUsageException} with the usage.
 */
final class LabMagics {
    static final String CLASSPATH_USAGE = "usage: %classpath PATH... (jar files or folders; ~ is your home folder)";
    static final String TIMEIT_USAGE = "usage: %timeit [-n LOOPS] [-r RUNS] STATEMENT_OR_EXPRESSION  (or %%timeit [-n LOOPS] [-r RUNS] with the code in the cell)";
    static final String SEED_USAGE = "usage: %seed N  (N a whole number; restarts the lab's default seeds, layerlab.tensor.Seeds)";
    static final String LAYERS_USAGE = "usage: %%layers  (first line of a cell; the cell's code runs as usual, then every layer"
            + " that ran inside a Sequential, Residual or Concat is shown with its output)";
    static final String DEVICE_USAGE = "usage: %device [NAME]  (no NAME: list the devices; NAME: select one, e.g. %device cpu)";

    private final LabKernel kernel;
    private final Set<String> lineNames = new TreeSet<>();
    private final Set<String> cellNames = new TreeSet<>();
    /** Magics that take their argument text as it is (code), not split into words. */
    private final Set<String> raw = Set.of("timeit");

    LabMagics(LabKernel kernel) {
        this.kernel = kernel;
    }

    void registerAll(Magics magics) {
        line(magics, "classpath", args -> {
            classpath(args);
            return null;
        });
        line(magics, "timeit", args -> timeit(args.isEmpty() ? "" : args.get(0), null));
        cell(magics, "timeit", (args, body) -> timeit(args.isEmpty() ? "" : args.get(0), body));
        cell(magics, "layers", this::layers);
        line(magics, "seed", args -> {
            seed(args);
            return null;
        });
        line(magics, "device", args -> {
            device(args);
            return null;
        });
        line(magics, "lsmagic", args -> {
            System.out.println("line magics: " + String.join(" ", lineNames.stream().map(n -> "%" + n).toList()));
            System.out.println("cell magics: " + String.join(" ", cellNames.stream().map(n -> "%%" + n).toList()));
            return null;
        });
    }

    private void line(Magics m, String name, io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction<?> f) {
        m.registerLineMagic(name, f);
        lineNames.add(name);
    }

    private void cell(Magics m, String name, io.github.spencerpark.jupyter.kernel.magic.registry.CellMagicFunction<?> f) {
        m.registerCellMagic(name, f);
        cellNames.add(name);
    }

    Set<String> lineNames() {
        return lineNames;
    }

    Set<String> cellNames() {
        return cellNames;
    }

    /** The argument list a magic receives: the raw text for code-taking magics, else words. */
    List<String> argsFor(String name, String rest) {
        if (raw.contains(name)) {
            return List.of(rest);
        }
        return split(rest);
    }

    /** Splits on blanks; single or double quotes group words ("my folder/x.jar"). */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0 || any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0 || any) {
            out.add(cur.toString());
        }
        return out;
    }

    static Path expand(String p) {
        if (p.equals("~")) {
            return Paths.get(System.getProperty("user.home"));
        }
        if (p.startsWith("~/")) {
            return Paths.get(System.getProperty("user.home"), p.substring(2));
        }
        return Paths.get(p);
    }

    // ------------------------------------------------------------------ %classpath

    private void classpath(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new MagicUsageException("%classpath needs at least one path. " + CLASSPATH_USAGE);
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            for (String part : a.split(java.io.File.pathSeparator)) {
                if (part.isBlank()) {
                    continue;
                }
                Path p = expand(part).toAbsolutePath().normalize();
                if (!Files.exists(p)) {
                    throw new MagicUsageException("%classpath: no such file or folder: " + p + ". " + CLASSPATH_USAGE);
                }
                if (Files.isRegularFile(p) && !p.toString().endsWith(".jar") && !p.toString().endsWith(".zip")) {
                    throw new MagicUsageException("%classpath: not a jar file or a folder: " + p + ". " + CLASSPATH_USAGE);
                }
                paths.add(p);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> jars = Files.list(p)) {
                        jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(paths::add);
                    }
                }
            }
        }
        kernel.addToClasspath(paths);
        for (Path p : paths) {
            System.out.println("added to the class path: " + p);
        }
    }

    // ------------------------------------------------------------------ %timeit

    private static final Pattern TIMEIT_OPTION =
            Pattern.compile("(-[nr])(?:\\s*(\\S+))?");

    private Object timeit(String argText, String cellBody) throws Exception {
        int loops = 0;
        int runs = 7;
        // options come first; the rest of the line is code, taken as it was typed
        String rest = argText.strip();
        Matcher m;
        while ((m = TIMEIT_OPTION.matcher(rest)).lookingAt()) {
            String opt = m.group(1);
            String value = m.group(2);
            if (value == null) {
                throw new MagicUsageException("%timeit: " + opt + " needs a number. " + TIMEIT_USAGE);
            }
            int v;
            try {
                v = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new MagicUsageException("%timeit: " + opt + " expects a whole number, got '" + value + "'. " + TIMEIT_USAGE);
            }
            if (v < 1) {
                throw new MagicUsageException("%timeit: " + opt + " expects a number >= 1, got " + v + ". " + TIMEIT_USAGE);
            }
            if (opt.equals("-n")) {
                loops = v;
            } else {
                runs = v;
            }
            rest = rest.substring(m.end()).stripLeading();
        }
        if (rest.matches("(?s)-[a-zA-Z](\\s.*)?")) {
            throw new MagicUsageException("%timeit: unknown option " + rest.split("\\s+")[0] + ". " + TIMEIT_USAGE);
        }
        String code = cellBody != null ? cellBody : rest;
        if (code.isBlank()) {
            throw new MagicUsageException("%timeit: nothing to time. " + TIMEIT_USAGE);
        }
        JShell js = kernel.jshell();
        String trimmed = code.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        String call = "layerlab.kernel.Timeit.run(" + loops + ", " + runs + ", () -> ";
        List<String> candidates = List.of(
                call + "{ layerlab.kernel.Timeit.sink(" + trimmed + "); });",
                call + "{ " + trimmed + "; });",
                call + "{\n" + code + "\n});");
        CellError first = null;
        for (String cand : candidates) {
            try {
                kernel.evalSnippet(js, cand);
                return null;
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

    // ------------------------------------------------------------------ %%layers

    /** Runs the cell with a shared {@link layerlab.nn.Trace} open, then shows every recorded layer output. */
    private Object layers(List<String> args, String body) throws Exception {
        if (!args.isEmpty()) {
            throw new MagicUsageException("%%layers takes no arguments, got '" + String.join(" ", args) + "'. " + LAYERS_USAGE);
        }
        if (body.isBlank()) {
            throw new MagicUsageException("%%layers: the cell has no code to run. " + LAYERS_USAGE);
        }
        Object value;
        List<layerlab.nn.Trace.Entry> entries;
        try (layerlab.nn.Trace trace = layerlab.nn.Trace.startShared()) {
            value = kernel.runCell(body);
            entries = trace.entries();
        }
        if (entries.isEmpty()) {
            System.out.println("%%layers: no layer ran inside a Sequential, Residual or Concat in this cell");
        } else {
            Lab.display(layerlab.kernel.view.Views.layers(entries));
        }
        return value == LabKernel.NO_VALUE ? null : value;
    }

    // ------------------------------------------------------------------ %seed, %device

    private static void seed(List<String> args) {
        if (args.size() != 1) {
            throw new MagicUsageException("%seed takes exactly one number, got " + args.size() + " arguments. " + SEED_USAGE);
        }
        long n;
        try {
            n = Long.parseLong(args.get(0));
        } catch (NumberFormatException e) {
            throw new MagicUsageException("%seed: expected a whole number, got '" + args.get(0) + "'. " + SEED_USAGE);
        }
        Seeds.set(n);
        System.out.println("seed set to " + n + " (layerlab.tensor.Seeds)");
    }

    private static void device(List<String> args) {
        if (args.isEmpty()) {
            System.out.print(Devices.describe());
            return;
        }
        if (args.size() > 1) {
            throw new MagicUsageException("%device takes at most one device name, got " + args.size() + ". " + DEVICE_USAGE);
        }
        try {
            Devices.Entry e = Devices.select(args.get(0));
            System.out.println("device: " + e.name() + " — " + e.description());
        } catch (IllegalArgumentException e) {
            throw new MagicUsageException("%device: " + e.getMessage() + ". " + DEVICE_USAGE);
        }
    }
}
