package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code %classpath PATH...}: adds jar files, and folders with the jars in them, to the class path. */
final class ClasspathMagic implements LineMagicFunction<Object> {
    static final String USAGE = "usage: %classpath PATH... (jar files or folders; ~ is your home folder)";

    private final MagicContext kernel;

    ClasspathMagic(MagicContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public Object execute(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new MagicUsageException("%classpath needs at least one path. " + USAGE);
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            for (String part : a.split(java.io.File.pathSeparator)) {
                if (!part.isBlank()) {
                    addPath(paths, MagicArgs.expand(part).toAbsolutePath().normalize());
                }
            }
        }
        kernel.addToClasspath(paths);
        for (Path p : paths) {
            System.out.println("added to the class path: " + p);
        }
        return null;
    }

    private static void addPath(List<Path> paths, Path p) throws Exception {
        if (!Files.exists(p)) {
            throw new MagicUsageException("%classpath: no such file or folder: " + p + ". " + USAGE);
        }
        if (Files.isRegularFile(p) && !p.toString().endsWith(".jar") && !p.toString().endsWith(".zip")) {
            throw new MagicUsageException("%classpath: not a jar file or a folder: " + p + ". " + USAGE);
        }
        paths.add(p);
        if (Files.isDirectory(p)) {
            try (Stream<Path> jars = Files.list(p)) {
                jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(paths::add);
            }
        }
    }
}
