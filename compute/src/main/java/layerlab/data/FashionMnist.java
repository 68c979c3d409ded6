package layerlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import layerlab.tensor.Tensor;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017): 28×28 grey images of clothing in 10 classes,
 * 60 000 for training and 10 000 for testing, in the IDX files Debian's
 * {@code dataset-fashion-mnist} package installs under {@code /usr/share/datasets/fashion-mnist}.
 *
 * <p>Images come as a tensor (N, 1, 28, 28) with pixels scaled to [0, 1] (byte / 255), labels
 * as {@code int[]} in 0…9 (see {@link #CLASSES}). The directory is, in order: the system
 * property {@value #PROPERTY}, the environment variable {@value #ENV}, the Debian path. Files
 * may be gzipped ({@code *.gz}, as shipped) or not.
 *
 * <pre>{@code
 * Dataset train = FashionMnist.train(2000);          // the first 2000 training images
 * for (Batch b : Batches.of(train, 64).shuffled(7)) { ... }
 * }</pre>
 */
public final class FashionMnist {
    /** System property naming the directory of the four IDX files. */
    public static final String PROPERTY = "layerlab.fashionMnist";
    /** Environment variable naming the directory, used when the property is not set. */
    public static final String ENV = "LAYERLAB_FASHION_MNIST";
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names in label order 0…9. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IMAGES_MAGIC = 0x00000803; // unsigned bytes, 3 dimensions
    private static final int LABELS_MAGIC = 0x00000801; // unsigned bytes, 1 dimension

    /** Which half of the data set. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        String imagesFile() {
            return prefix + "-images-idx3-ubyte";
        }

        String labelsFile() {
            return prefix + "-labels-idx1-ubyte";
        }
    }

    private FashionMnist() {}

    /** All 60 000 training images (188 MB as float32). */
    public static Dataset train() {
        return load(directory(), Split.TRAIN, Integer.MAX_VALUE);
    }

    /** The first {@code limit} training images. */
    public static Dataset train(int limit) {
        return load(directory(), Split.TRAIN, limit);
    }

    /** All 10 000 test images. */
    public static Dataset test() {
        return load(directory(), Split.TEST, Integer.MAX_VALUE);
    }

    /** The first {@code limit} test images. */
    public static Dataset test(int limit) {
        return load(directory(), Split.TEST, limit);
    }

    /** The class name of a label, e.g. 9 → "Ankle boot". */
    public static String className(int label) {
        if (label < 0 || label >= CLASSES.size()) {
            throw new IllegalArgumentException("FashionMnist: expected a label in 0…9, got " + label);
        }
        return CLASSES.get(label);
    }

    /** The directory in use: property {@value #PROPERTY}, else env {@value #ENV}, else the Debian path. */
    public static Path directory() {
        return directory(System.getProperty(PROPERTY), System.getenv(ENV));
    }

    static Path directory(String property, String env) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return DEBIAN_DIR;
    }

    /** Loads the first {@code limit} images of a split from {@code dir}. */
    public static Dataset load(Path dir, Split split, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("FashionMnist: expected a limit >= 1, got " + limit);
        }
        Path images = find(dir, split.imagesFile());
        Path labels = find(dir, split.labelsFile());
        int[] y = readLabels(labels, limit);
        Tensor x = readImages(images, limit);
        if (x.size(0) != y.length) {
            throw new IllegalArgumentException("FashionMnist: expected as many labels as images, got "
                    + x.size(0) + " images in " + images + " and " + y.length + " labels in " + labels);
        }
        return new Dataset(x, y, CLASSES);
    }

    /** The file with or without {@code .gz}, or a clear error naming the package to install. */
    private static Path find(Path dir, String name) {
        for (Path p : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("FashionMnist: expected " + name + ".gz (or " + name + ") in " + dir
                + ", not found. Install the Debian package dataset-fashion-mnist "
                + "(apt-get install dataset-fashion-mnist), or point -D" + PROPERTY + "=DIR or " + ENV
                + "=DIR at a directory holding the four IDX files from github.com/zalandoresearch/fashion-mnist");
    }

    /** IDX images (magic 0x803, dims N, H, W, unsigned bytes) as (min(N, limit), 1, H, W) in [0, 1]. */
    static Tensor readImages(Path file, int limit) {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, IMAGES_MAGIC, 3);
            int n = Math.min(dims[0], limit);
            long hw = (long) dims[1] * dims[2]; // NOTE: as an int, 65536 × 65536 wraps to 0
            long count = n * hw;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("FashionMnist: expected at most " + (Integer.MAX_VALUE - 8)
                        + " pixels in " + file + ", the header says " + n + " images of " + dims[1] + "×" + dims[2]
                        + " = " + count);
            }
            byte[] bytes = readFully(in, file, 3, count);
            float[] data = new float[bytes.length]; // (n, 1, H, W)
            for (int i = 0; i < bytes.length; i++) {
                data[i] = (bytes[i] & 0xFF) / 255f;
            }
            return Tensor.of(data, n, 1, dims[1], dims[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("FashionMnist: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** IDX labels (magic 0x801, dim N, unsigned bytes) — the first min(N, limit), each checked to be 0…9. */
    static int[] readLabels(Path file, int limit) {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, LABELS_MAGIC, 1);
            int n = Math.min(dims[0], limit);
            byte[] bytes = readFully(in, file, 1, n);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = bytes[i] & 0xFF;
                if (labels[i] >= CLASSES.size()) {
                    throw new IllegalArgumentException("FashionMnist: expected labels 0…9 in " + file
                            + ", got " + labels[i] + " at index " + i);
                }
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException("FashionMnist: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }

    /** Reads the magic number and the big-endian dimensions; checks them. */
    private static int[] header(DataInputStream in, Path file, int magic, int rank) throws IOException {
        byte[] head = in.readNBytes(4);
        int got = head.length == 4 ? (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF) : -1;
        if (got != magic) {
            throw new IllegalArgumentException(String.format("FashionMnist: expected IDX magic 0x%08X "
                    + "(unsigned bytes, %d dimension%s) in %s, got %s", magic, rank, rank == 1 ? "" : "s", file,
                    head.length == 4 ? String.format("0x%08X", got) : "a file of " + head.length + " bytes"));
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw new IllegalArgumentException("FashionMnist: truncated header in " + file);
            }
            dims[d] = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            if (dims[d] < 1) {
                throw new IllegalArgumentException("FashionMnist: expected dimensions >= 1 in " + file
                        + ", got " + Integer.toUnsignedString(dims[d]) + " for dimension " + d);
            }
        }
        return dims;
    }

    /**
     * The {@code count} bytes after a header of {@code rank} dimensions. An uncompressed file
     * shorter than that is rejected before anything is allocated; a gzipped one is read as it
     * comes (readNBytes grows its buffer with the data), so a damaged header claiming billions
     * of bytes costs nothing either way.
     */
    private static byte[] readFully(InputStream in, Path file, int rank, long count) throws IOException {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FashionMnist: " + file + " is too large (" + count + " bytes)");
        }
        long header = 4 + 4L * rank;
        if (!file.toString().endsWith(".gz") && Files.size(file) - header < count) {
            throw new IllegalArgumentException("FashionMnist: truncated data in " + file + ": expected "
                    + count + " bytes after the header, got " + Math.max(0, Files.size(file) - header));
        }
        byte[] bytes = in.readNBytes((int) count);
        if (bytes.length < count) {
            throw new IllegalArgumentException("FashionMnist: truncated data in " + file + ": expected "
                    + count + " bytes after the header, got " + bytes.length);
        }
        return bytes;
    }
}
