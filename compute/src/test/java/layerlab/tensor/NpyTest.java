package layerlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import layerlab.testing.Python;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .npy interchange: round trips, files NumPy writes (every dtype it may hand us), NumPy reading
 * what we write, and a clear error for each file we refuse.
 */
class NpyTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void numpyIsThere() {
        Python.requireNumpy();
    }

    // ---- our own files ----------------------------------------------------------------------

    @Test
    void roundTripsEveryRank() throws Exception {
        int[][] shapes = {{7}, {2, 3}, {2, 3, 4}, {2, 1, 3, 5}, {1, 2, 3, 2, 2}, {70000}};
        for (int[] shape : shapes) {
            Tensor t = Tensor.randn(Seed.of(shape.length), shape);
            t.data()[0] = Float.NaN;
            t.data()[t.numel() - 1] = Float.NEGATIVE_INFINITY;
            Path f = dir.resolve("t" + shape.length + ".npy");
            Npy.save(f, t);
            assertEquals(t, Npy.load(f), Shapes.str(shape));
            assertEquals(t, Npy.fromBytes(Npy.toBytes(t), "bytes"));
            byte[] bytes = Files.readAllBytes(f);
            int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLen) % 64, "data starts at a multiple of 64");
            assertEquals('\n', bytes[10 + headerLen - 1], "header ends with a newline");
            assertEquals(10 + headerLen + 4L * t.numel(), bytes.length);
        }
    }

    @Test
    void headerIsThePythonDictNumpyWrites() {
        String h = new String(Npy.header(new int[] {3}), StandardCharsets.ISO_8859_1);
        assertTrue(h.startsWith("\u0093NUMPY"), h);
        assertTrue(h.contains("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), h);
        assertTrue(new String(Npy.header(new int[] {2, 3}), StandardCharsets.US_ASCII).contains("'shape': (2, 3), }"));
        assertEquals(128, Npy.header(new int[] {5}).length); // 10 + 57 + '\n' = 68, padded to 128
        assertEquals(128, Npy.header(new int[] {2, 3, 4, 5, 6}).length);
    }

    @Test
    void numpyReadsWhatWeWrite() {
        Map<String, Tensor> written = new HashMap<>();
        written.put("a.npy", Tensor.randn(Seed.of(5), 2, 3, 4));
        written.put("b.npy", Tensor.arange(5));
        written.put("c.npy", Tensor.rand(Seed.of(6), 1, 2, 3, 2, 2));
        StringBuilder args = new StringBuilder();
        for (var e : written.entrySet()) {
            Npy.save(dir.resolve(e.getKey()), e.getValue());
        }
        String script = """
                import sys, numpy as np
                for f in sys.argv[1:]:
                    with open(f, 'rb') as fh:
                        version = np.lib.format.read_magic(fh)
                        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
                    a = np.load(f, allow_pickle=False)
                    print(f, version, a.dtype.str, fortran, a.flags['C_CONTIGUOUS'],
                          ','.join(map(str, a.shape)), a.tobytes().hex())
                """;
        String[] files = written.keySet().stream().map(k -> dir.resolve(k).toString()).toArray(String[]::new);
        String out = Python.run(script, files);
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(" ");
            Tensor t = written.get(Path.of(f[0]).getFileName().toString());
            assertEquals("(1, 0)", f[1] + " " + f[2], line);
            assertEquals("<f4", f[3], line);
            assertEquals("False", f[4], line);
            assertEquals("True", f[5], line);
            assertEquals(Shapes.str(t.shape()).replaceAll("[\\[\\] ]", ""), f[6], line);
            assertEquals(HexFormat.of().formatHex(littleEndian(t.data())), f[7], line);
        }
        assertEquals(written.size(), out.strip().split("\n").length, out);
    }

    // ---- files NumPy writes -----------------------------------------------------------------

    @Test
    void readsEveryDtypeNumpyWrites() throws Exception {
        // NumPy writes each file and, as the oracle, its own float32 conversion of the values.
        String script = """
                import sys, os, numpy as np
                d = sys.argv[1]
                cases = {
                  'f4': np.array([[1.5, -2.25, 3e-38], [1e38, 0.0, -0.0]], dtype='<f4'),
                  'f8': np.array([1/3, -1e-300, 1e300, 2.5], dtype='<f8'),
                  'f2': np.array([1.0, -0.5, 65504, 6e-8, np.inf, 1/3], dtype='<f2'),
                  'u1': np.array([0, 1, 128, 255], dtype='|u1').reshape(2, 2),
                  'i1': np.array([-128, -1, 0, 127], dtype='|i1'),
                  'b1': np.array([True, False, True], dtype='|b1'),
                  'i2': np.array([-32768, -1, 7, 32767], dtype='<i2'),
                  'u2': np.array([0, 40000, 65535], dtype='<u2'),
                  'i4': np.arange(-12, 12, dtype='<i4').reshape(2, 3, 4),
                  'u4': np.array([0, 3000000000, 4294967295], dtype='<u4'),
                  'i8': np.array([-2**63, -5, 2**40 + 1, 2**63 - 1], dtype='<i8'),
                  'u8': np.array([0, 2**64 - 1, 2**63, 12345], dtype='<u8'),
                  'rank5': np.arange(24, dtype='<f4').reshape(1, 2, 3, 2, 2),
                  'v2': np.arange(6, dtype='<f4').reshape(3, 2),
                  'v3': np.arange(6, dtype='<f4').reshape(2, 3),
                  'sliced': np.arange(24, dtype='<f4').reshape(4, 6)[:, ::2],
                }
                for name, a in cases.items():
                    path = os.path.join(d, name + '.npy')
                    if name in ('v2', 'v3'):
                        with open(path, 'wb') as fh:
                            np.lib.format.write_array(fh, a, version=(int(name[1]), 0))
                    else:
                        np.save(path, a)
                    ref = np.ascontiguousarray(a).astype(np.float32)
                    print(name, ','.join(map(str, a.shape)), ref.tobytes().hex())
                """;
        String out = Python.run(script, dir.toString());
        int n = 0;
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(" ");
            Tensor t = Npy.load(dir.resolve(f[0] + ".npy"));
            int[] shape = java.util.Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(shape, t.shape(), f[0]);
            assertArrayEquals(fromLittleEndian(HexFormat.of().parseHex(f[2])), t.data(), f[0]);
            n++;
        }
        assertEquals(16, n, out);
    }

    @Test
    void refusesNumpyFilesItCannotRepresent() {
        String script = """
                import sys, os, numpy as np
                d = sys.argv[1]
                np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.zeros((2, 3), dtype='<f4')))
                np.save(os.path.join(d, 'transposed.npy'), np.arange(6, dtype='<f4').reshape(2, 3).T)
                np.save(os.path.join(d, 'big.npy'), np.zeros(3, dtype='>f4'))
                np.save(os.path.join(d, 'object.npy'), np.array([1, 'a', None], dtype=object), allow_pickle=True)
                np.save(os.path.join(d, 'scalar.npy'), np.float32(3))
                np.save(os.path.join(d, 'rank6.npy'), np.zeros((1, 2, 1, 2, 1, 2), dtype='<f4'))
                np.save(os.path.join(d, 'empty.npy'), np.zeros((0, 3), dtype='<f4'))
                np.save(os.path.join(d, 'record.npy'), np.zeros(2, dtype=[('x', '<f4'), ('y', '<i4')]))
                np.save(os.path.join(d, 'complex.npy'), np.zeros(2, dtype='<c8'))
                """;
        Python.run(script, dir.toString());
        assertRefused("fortran.npy", "expected C (row-major) order, got fortran_order True");
        // NOTE: np.save(a.T) writes a Fortran-ordered file; the message says how to save it in C order
        assertRefused("transposed.npy", "np.ascontiguousarray(a)");
        assertRefused("big.npy", "got big-endian dtype '>f4'");
        assertRefused("object.npy", "got dtype '|O' (a pickled object array");
        assertRefused("scalar.npy", "expected rank 1 to 5, got a rank-0 (scalar) array");
        assertRefused("rank6.npy", "expected rank 1 to 5, got rank 6, shape [1, 2, 1, 2, 1, 2]");
        assertRefused("empty.npy", "expected every dimension >= 1, got shape [0, 3]");
        assertRefused("record.npy", "got a structured dtype");
        assertRefused("complex.npy", "got '<c8'");
    }

    // ---- hand-crafted bytes -----------------------------------------------------------------

    @Test
    void rejectsBadMagic() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        assertMessage(zip, "Npy.load(x.npy): expected the magic string \\x93NUMPY of a .npy file, got 'PK\\x03\\x04\\x14\\x00'");
        assertMessage(new byte[0], "got '' (0 bytes)");
        assertMessage(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0}, "expected format version 1.0, 2.0 or 3.0, got 9.0");
    }

    @Test
    void rejectsTruncatedData() {
        byte[] f = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[4 * 6 - 3]);
        assertMessage(f, "Npy.load(x.npy): truncated data: expected 24 bytes (6 values of f4), got 21");
        byte[] wide = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (70000,), }", new byte[8 * 70000 - 1]);
        assertMessage(wide, "truncated data: expected 560000 bytes (70000 values of f8), got 559999");
        byte[] header = java.util.Arrays.copyOf(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]), 30);
        assertMessage(header, "truncated header: expected 118 bytes, got 20");
    }

    @Test
    void rejectsLayoutsAndTypesItCannotRepresent() {
        assertMessage(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]),
                "Npy.load(x.npy): expected C (row-major) order, got fortran_order True");
        assertMessage(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", new byte[16]),
                "Npy.load(x.npy): expected little-endian data, got big-endian dtype '>f8'");
        assertMessage(npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16]),
                "Npy.load(x.npy): expected numeric data, got dtype '|O' (a pickled object array, which is never loaded)");
        assertMessage(npy("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", new byte[24]),
                "Npy.load(x.npy): expected a dtype among <f2 <f4 <f8 |u1 |i1 |b1 <u2 <i2 <u4 <i4 <u8 <i8, got '<U3'");
        assertMessage(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8]),
                "got a structured dtype");
        assertMessage(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]),
                "Npy.load(x.npy): expected rank 1 to 5, got a rank-0 (scalar) array, shape ()");
        assertMessage(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1), }", new byte[4]),
                "Npy.load(x.npy): expected rank 1 to 5, got rank 6, shape [1, 1, 1, 1, 1, 1]");
        assertMessage(npy("{'descr': '<f4', 'shape': (2,), }", new byte[8]),
                "expected a header dict with 'descr', 'fortran_order' and 'shape'");
    }

    @Test
    void acceptsKeysInAnyOrderAndExtraSpaces() {
        byte[] f = npy("{'shape': ( 2 , ), 'fortran_order' : False,'descr':'<i2'}",
                new byte[] {5, 0, (byte) 0xFE, (byte) 0xFF});
        assertEquals(Tensor.of(new float[] {5, -2}, 2), Npy.fromBytes(f, "x.npy"));
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope.npy");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Npy.load(missing));
        assertTrue(e.getMessage().startsWith("Npy.load(" + missing + "): file not found (" + missing.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("the working directory is "), e.getMessage());
    }

    @Test
    void aHeaderClaimingBillionsOfValuesInATinyFileFailsBeforeAllocating() throws Exception {
        // 1.5e9 float32 values would be 6 GB; the file is 192 bytes. The size is checked first, so
        // this passes in a test JVM whose heap could never hold the array.
        byte[] f = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1500000000,), }", new byte[64]);
        Path file = dir.resolve("huge.npy");
        Files.write(file, f);
        assertEquals(192, Files.size(file));
        long before = usedHeap();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.load(file));
        assertEquals("Npy.load(" + file + "): truncated data: expected 6000000000 bytes (1500000000 values of f4), got 64",
                e.getMessage());
        assertTrue(usedHeap() - before < 64L << 20, "the load allocated " + (usedHeap() - before) / (1 << 20) + " MB");
        // from a stream of unknown length, memory follows the data that arrives, not the header
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new java.io.ByteArrayInputStream(f), "stream"));
        assertEquals("Npy.load(stream): truncated data: expected 6000000000 bytes (1500000000 values of f4), got 64",
                s.getMessage());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void halfPrecisionEdgeCases() {
        assertEquals(1f, Npy.halfToFloat((short) 0x3C00));
        assertEquals(-2f, Npy.halfToFloat((short) 0xC000));
        assertEquals(65504f, Npy.halfToFloat((short) 0x7BFF));
        assertEquals(0x1.0p-24f, Npy.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, Npy.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(Npy.halfToFloat((short) 0x7E00)));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void assertRefused(String file, String expected) {
        Path p = dir.resolve(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.load(p), file);
        assertTrue(e.getMessage().startsWith("Npy.load(" + p + "): "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertMessage(byte[] bytes, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.fromBytes(bytes, "x.npy"));
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
    }

    /** A version 1.0 file with the given dict (padded as NumPy pads it) and data bytes. */
    private static byte[] npy(String dict, byte[] data) {
        int total = 10 + dict.length() + 1;
        String text = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.writeBytes(new byte[] {(byte) text.length(), (byte) (text.length() >> 8)});
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] fromLittleEndian(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
