package layerlab.tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} files: the interchange with NumPy and PyTorch
 * ({@code np.save}/{@code np.load}, {@code torch.from_numpy(np.load(...))}).
 *
 * <p>Format (numpy.lib.format): the magic {@code \x93NUMPY}, a version byte pair, the header
 * length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then an ASCII Python
 * dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces
 * and ended by {@code '\n'} so that the data starts at a multiple of 64 bytes; then the raw
 * values in C (row-major) order.
 *
 * <p>{@link #save} writes version 1.0, {@code '<f4'}, C order. {@link #load} reads
 * little-endian floats ({@code <f2 <f4 <f8}), integers ({@code |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8})
 * and booleans ({@code |b1}), all converted to float32 (64-bit integers beyond 2^24 lose
 * precision, as {@code np.float32(x)} would). It rejects, naming the file and what it found:
 * a bad magic, Fortran order, big-endian or object (pickled) data, structured dtypes, rank 0 or
 * above 5, a zero-size dimension, a missing file ("not found"), and truncated data — a file
 * shorter than its header says is rejected before the values are allocated, so a damaged header
 * claiming billions of values costs nothing.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 16; // values decoded per read

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"]([^'\"]*)['\"]|\\[)");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** What the header says; {@code length} counts every byte up to the data. */
    private record Header(String descr, boolean fortranOrder, long[] shape, long length) {}

    /** Bytes after the header not known (a stream). */
    private static final long UNKNOWN = -1;

    /** A supported element type: its size in bytes and how one value becomes a float. */
    private enum Dtype {
        F2(2), F4(4), F8(8), I1(1), U1(1), B1(1), I2(2), U2(2), I4(4), U4(4), I8(8), U8(8);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        /** Little-endian or byte-sized type strings only; null when not supported. */
        static Dtype parse(String descr) {
            if (descr.length() < 3) {
                return null;
            }
            char order = descr.charAt(0);
            String kind = descr.substring(1).toUpperCase(Locale.ROOT);
            Dtype d;
            try {
                d = valueOf(kind);
            } catch (IllegalArgumentException e) {
                return null;
            }
            boolean ok = d.bytes == 1 ? order == '|' || order == '<' || order == '>' || order == '=' : order == '<';
            return ok ? d : null;
        }

        float read(ByteBuffer b) {
            return switch (this) {
                case F2 -> halfToFloat(b.getShort());
                case F4 -> b.getFloat();
                case F8 -> (float) b.getDouble();
                case I1 -> b.get();
                case U1 -> b.get() & 0xFF;
                case B1 -> b.get() != 0 ? 1f : 0f;
                case I2 -> b.getShort();
                case U2 -> b.getShort() & 0xFFFF;
                case I4 -> b.getInt();
                case U4 -> b.getInt() & 0xFFFFFFFFL;
                case I8 -> b.getLong();
                case U8 -> unsignedLongToFloat(b.getLong());
            };
        }
    }

    // ---- load -------------------------------------------------------------------------------

    /** Reads a {@code .npy} file as a float32 tensor (see the class comment for what is accepted). */
    public static Tensor load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("Npy.load(" + file + "): file not found (" + file.toAbsolutePath()
                    + "; the working directory is " + Path.of("").toAbsolutePath() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.load(" + file + "): " + e.getMessage(), e);
        }
    }

    /** Reads {@code .npy} bytes; {@code source} names them in error messages. */
    public static Tensor fromBytes(byte[] bytes, String source) {
        try {
            return read(new ByteArrayInputStream(bytes), source, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.load(" + source + "): " + e.getMessage(), e);
        }
    }

    /** Reads one array from a stream positioned at the magic string. */
    public static Tensor read(InputStream in, String source) throws IOException {
        return read(in, source, UNKNOWN);
    }

    /** {@code size}: the bytes from the magic string to the end, or {@link #UNKNOWN}. */
    private static Tensor read(InputStream in, String source, long size) throws IOException {
        Header h = readHeader(in, source);
        Dtype dtype = Dtype.parse(h.descr);
        String where = "Npy.load(" + source + "): ";
        if (h.descr.startsWith(">") && dtype == null) {
            fail(where, "expected little-endian data, got big-endian dtype '" + h.descr
                    + "' (in NumPy: a.astype(a.dtype.newbyteorder('<')) before saving)");
        }
        if (h.descr.length() >= 2 && h.descr.charAt(1) == 'O') {
            fail(where, "expected numeric data, got dtype '" + h.descr
                    + "' (a pickled object array, which is never loaded)");
        }
        if (dtype == null) {
            fail(where, "expected a dtype among <f2 <f4 <f8 |u1 |i1 |b1 <u2 <i2 <u4 <i4 <u8 <i8, got '" + h.descr + "'");
        }
        if (h.fortranOrder) {
            fail(where, "expected C (row-major) order, got fortran_order True "
                    + "(in NumPy: np.save(f, np.ascontiguousarray(a)))");
        }
        int[] shape = checkShape(where, h.shape);
        int n = Shapes.numel(shape);
        long expected = (long) n * dtype.bytes;
        if (size != UNKNOWN && size - h.length < expected) { // checked before the values are allocated
            fail(where, truncated(expected, n, dtype, Math.max(0, size - h.length)));
        }
        float[] data = size != UNKNOWN ? new float[n] : new float[Math.min(n, CHUNK)];
        return Tensor.of(readValues(in, data, n, dtype, where), shape);
    }

    private static Header readHeader(InputStream in, String source) throws IOException {
        String where = "Npy.load(" + source + "): ";
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            fail(where, "expected the magic string \\x93NUMPY of a .npy file, got " + hex(magic)
                    + (magic.length < MAGIC.length ? " (" + magic.length + " bytes)" : ""));
        }
        byte[] version = in.readNBytes(2);
        if (version.length < 2 || version[0] < 1 || version[0] > 3) {
            fail(where, "expected format version 1.0, 2.0 or 3.0, got "
                    + (version.length < 2 ? "end of file" : version[0] + "." + version[1]));
        }
        int lenBytes = version[0] == 1 ? 2 : 4;
        byte[] len = in.readNBytes(lenBytes);
        if (len.length < lenBytes) {
            fail(where, "expected a header length, got end of file");
        }
        long headerLen = ByteBuffer.wrap(lenBytes == 2 ? new byte[] {len[0], len[1], 0, 0} : len)
                .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (headerLen > 1 << 20) {
            fail(where, "expected a header of at most 1 MiB, got a length of " + headerLen + " bytes");
        }
        byte[] headerBytes = in.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            fail(where, "truncated header: expected " + headerLen + " bytes, got " + headerBytes.length);
        }
        String header = new String(headerBytes, version[0] == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(where, header.strip(), MAGIC.length + 2 + lenBytes + headerLen);
    }

    private static Header parseHeader(String where, String header, long length) {
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!header.startsWith("{") || !d.find() || !f.find() || !s.find()) {
            fail(where, "expected a header dict with 'descr', 'fortran_order' and 'shape', got " + header);
        }
        if (d.group(2) == null) {
            fail(where, "expected a plain numeric dtype, got a structured dtype (record array) in " + header);
        }
        String dims = s.group(1).strip();
        String[] parts = dims.isEmpty() ? new String[0] : dims.split(",");
        long[] shape = Arrays.stream(parts).map(String::strip).filter(p -> !p.isEmpty())
                .mapToLong(p -> parseDim(where, p, header)).toArray();
        return new Header(d.group(2), f.group(1).equals("True"), shape, length);
    }

    private static long parseDim(String where, String p, String header) {
        try {
            return Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
        } catch (NumberFormatException e) {
            fail(where, "expected integer dimensions in 'shape', got '" + p + "' in " + header);
            return 0;
        }
    }

    private static int[] checkShape(String where, long[] shape) {
        String str = Arrays.toString(shape);
        if (shape.length == 0) {
            fail(where, "expected rank 1 to " + Tensor.MAX_RANK + ", got a rank-0 (scalar) array, shape ()");
        }
        if (shape.length > Tensor.MAX_RANK) {
            fail(where, "expected rank 1 to " + Tensor.MAX_RANK + ", got rank " + shape.length + ", shape " + str);
        }
        long n = 1;
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                fail(where, "expected every dimension >= 1, got shape " + str);
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE - 8) {
                fail(where, "expected fewer than 2^31 values, got shape " + str);
            }
            s[i] = (int) shape[i];
        }
        return s;
    }

    /**
     * Reads {@code n} values into {@code out}, or into a copy grown as the values arrive when
     * {@code out} is shorter (a stream of unknown length: memory follows the data, not the
     * header's claim). Returns the filled array.
     */
    private static float[] readValues(InputStream in, float[] out, int n, Dtype dtype, String where) throws IOException {
        byte[] chunk = new byte[CHUNK * dtype.bytes];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long expected = (long) n * dtype.bytes;
        int done = 0;
        while (done < n) {
            int count = Math.min(CHUNK, n - done);
            int got = in.readNBytes(chunk, 0, count * dtype.bytes);
            if (got < count * dtype.bytes) {
                fail(where, truncated(expected, n, dtype, (long) done * dtype.bytes + got));
            }
            if (out.length < done + count) {
                out = Arrays.copyOf(out, (int) Math.min(n, Math.max(done + count, 2L * out.length)));
            }
            buf.clear();
            for (int i = 0; i < count; i++) {
                out[done + i] = dtype.read(buf);
            }
            done += count;
        }
        return out;
    }

    private static String truncated(long expected, int n, Dtype dtype, long got) {
        return "truncated data: expected " + expected + " bytes (" + n + " values of "
                + dtype.name().toLowerCase(Locale.ROOT) + "), got " + got;
    }

    // ---- save -------------------------------------------------------------------------------

    /** Writes the tensor as version 1.0, {@code '<f4'}, C order: {@code np.load} reads it as float32. */
    public static void save(Path file, Tensor t) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, t);
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.save(" + file + "): " + e.getMessage(), e);
        }
    }

    /** The {@code .npy} bytes of a tensor. */
    public static byte[] toBytes(Tensor t) {
        var out = new java.io.ByteArrayOutputStream(128 + 4 * t.numel());
        try {
            write(out, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one array to a stream. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        out.write(header(t.shape()));
        float[] data = t.to(Device.CPU).data(); // a device tensor is copied to the host first
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK) {
            int count = Math.min(CHUNK, data.length - from);
            buf.clear();
            buf.asFloatBuffer().put(data, from, count);
            out.write(buf.array(), 0, count * 4);
        }
    }

    /** Magic, version 1.0, length, and the dict padded with spaces so that data starts at a multiple of 64. */
    static byte[] header(int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        // Python's tuple repr: (3,) for one dimension, (2, 3) for more
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int prefix = MAGIC.length + 2 + 2;
        int total = prefix + dict.length() + 1; // + the '\n'
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        String text = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void fail(String where, String what) {
        throw new IllegalArgumentException(where + what);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF));
        }
        return "'" + sb + "'";
    }

    /** IEEE half precision to float (NumPy's float16, PyTorch's torch.half). */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        float v;
        if (exp == 0) {
            v = mant * 0x1.0p-24f; // subnormal: mant · 2^-24
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }

    private static float unsignedLongToFloat(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2f;
    }
}
