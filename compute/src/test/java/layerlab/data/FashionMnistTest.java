package layerlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader on the real Debian files (installed by the package dataset-fashion-mnist; a
 * missing file fails the test) and on tiny IDX files written here.
 */
class FashionMnistTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void realFilesAreInstalled() {
        Path d = FashionMnist.directory();
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            assertTrue(Files.isRegularFile(d.resolve(f)), "missing " + d.resolve(f)
                    + ": install the Debian package dataset-fashion-mnist");
        }
    }

    @Test
    void testSplitHasTenBalancedClasses() {
        Dataset test = FashionMnist.test();
        assertArrayEquals(new int[] {10000, 1, 28, 28}, test.images().shape());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : test.images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // the first test images, as the data set's README shows them
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(test.labels(), 10));
        assertEquals("Ankle boot", test.className(0));
    }

    @Test
    void firstTrainingImagesMatchAnIndependentReader() {
        Dataset train = FashionMnist.train(2000);
        assertArrayEquals(new int[] {2000, 1, 28, 28}, train.images().shape());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9}, java.util.Arrays.copyOf(train.labels(), 12));
        // pixel sums of the first image in bytes, computed with Python's gzip module: 76247
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            sum += Math.round(train.images().data()[i] * 255);
        }
        assertEquals(76247, sum);
    }

    @Test
    void classNamesInLabelOrder() {
        assertEquals(java.util.List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot"), FashionMnist.CLASSES);
        assertEquals("Sneaker", FashionMnist.className(7));
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.className(10));
    }

    @Test
    void directoryIsPropertyThenEnvThenDebian() {
        assertEquals(Path.of("/p"), FashionMnist.directory("/p", "/e"));
        assertEquals(Path.of("/e"), FashionMnist.directory(null, "/e"));
        assertEquals(Path.of("/e"), FashionMnist.directory(" ", "/e"));
        assertEquals(FashionMnist.DEBIAN_DIR, FashionMnist.directory(null, null));
    }

    @Test
    void missingFilesNameTheDebianPackage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TEST, 10));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.ENV), e.getMessage());
    }

    @Test
    void readsTinyIdxFilesPlainAndGzipped() throws IOException {
        byte[] pixels = {0, (byte) 255, 51, (byte) 204, 1, 2, 3, 4, 5, 6, 7, 8};
        write(dir.resolve("t10k-images-idx3-ubyte"), false, idx(0x803, new int[] {3, 2, 2}, pixels));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), true, idx(0x801, new int[] {3}, new byte[] {9, 0, 4}));
        Dataset d = FashionMnist.load(dir, FashionMnist.Split.TEST, 100);
        assertArrayEquals(new int[] {3, 1, 2, 2}, d.images().shape());
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.8f}, java.util.Arrays.copyOf(d.images().data(), 4), 1e-7f);
        assertArrayEquals(new int[] {9, 0, 4}, d.labels());
        Dataset two = FashionMnist.load(dir, FashionMnist.Split.TEST, 2);
        assertEquals(Tensor.of(java.util.Arrays.copyOf(d.images().data(), 8), 2, 1, 2, 2), two.images());
    }

    @Test
    void badMagicIsAClearError() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), true, idx(0x801, new int[] {1, 1, 1}, new byte[1]));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), true, idx(0x801, new int[] {1}, new byte[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertEquals("FashionMnist: expected IDX magic 0x00000803 (unsigned bytes, 3 dimensions) in "
                + dir.resolve("train-images-idx3-ubyte.gz") + ", got 0x00000801", e.getMessage());
    }

    @Test
    void notGzipIsAClearError() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), false, idx(0x803, new int[] {1, 1, 1}, new byte[1]));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), true, idx(0x801, new int[] {1}, new byte[1]));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertTrue(e.getMessage().startsWith("FashionMnist: cannot read " + dir.resolve("train-images-idx3-ubyte.gz")),
                e.getMessage());
    }

    @Test
    void truncatedAndMismatchedFilesAreClearErrors() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), false, idx(0x803, new int[] {2, 2, 2}, new byte[7]));
        write(dir.resolve("train-labels-idx1-ubyte"), false, idx(0x801, new int[] {2}, new byte[2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertTrue(e.getMessage().contains("truncated data in " + dir.resolve("train-images-idx3-ubyte")
                + ": expected 8 bytes after the header, got 7"), e.getMessage());

        write(dir.resolve("train-images-idx3-ubyte"), false, idx(0x803, new int[] {2, 2, 2}, new byte[8]));
        write(dir.resolve("train-labels-idx1-ubyte"), false, idx(0x801, new int[] {1}, new byte[1]));
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertTrue(e.getMessage().contains("expected as many labels as images, got 2 images"), e.getMessage());

        write(dir.resolve("train-labels-idx1-ubyte"), false, idx(0x801, new int[] {2}, new byte[] {3, 10}));
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertTrue(e.getMessage().contains("expected labels 0…9"), e.getMessage());
        assertTrue(e.getMessage().contains("got 10 at index 1"), e.getMessage());
    }

    @Test
    void aHeaderWithAHugeShapeIsAnErrorNamingTheFile() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        write(dir.resolve("train-labels-idx1-ubyte"), false, idx(0x801, new int[] {2}, new byte[2]));
        // 65536 × 65536 wraps to 0 as an int product
        write(images, false, idx(0x803, new int[] {2, 65536, 65536}, new byte[8]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10));
        assertEquals("FashionMnist: expected at most 2147483639 pixels in " + images
                + ", the header says 2 images of 65536×65536 = 8589934592", e.getMessage());
        // plausible per image, but far more images than the file holds: refused before allocating
        write(images, false, idx(0x803, new int[] {2_000_000, 28, 28}, new byte[784]));
        write(dir.resolve("train-labels-idx1-ubyte"), false, idx(0x801, new int[] {2_000_000}, new byte[2_000_000]));
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, Integer.MAX_VALUE));
        assertEquals("FashionMnist: truncated data in " + images + ": expected 1568000000 bytes after the header, got 784",
                e.getMessage());
        // the same from a gzipped file (its length is not known before reading)
        Files.delete(images);
        write(dir.resolve("train-images-idx3-ubyte.gz"), true, idx(0x803, new int[] {2_000_000, 28, 28}, new byte[784]));
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, Integer.MAX_VALUE));
        assertEquals("FashionMnist: truncated data in " + dir.resolve("train-images-idx3-ubyte.gz")
                + ": expected 1568000000 bytes after the header, got 784", e.getMessage());
    }

    /** An IDX file: magic, big-endian dimensions, bytes. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static void write(Path file, boolean gzip, byte[] bytes) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
