package layerlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import layerlab.tensor.Tensor;

/**
 * libtorch through DJL, offline: arrays made from layerlab tensors (the same values), fresh
 * autograd leaves per timed call, thread count, and aten ops DJL does not expose (group norm,
 * instance norm) through a one-expression TorchScript module written here.
 */
final class Libtorch implements AutoCloseable {
    private final NDManager base;

    Libtorch() {
        if (!"true".equals(System.getProperty("ai.djl.offline"))) {
            throw new IllegalStateException("run libtorch offline: start the JVM with -Dai.djl.offline=true");
        }
        base = NDManager.newBaseManager("PyTorch");
        JniUtils.setNumInteropThreads(1);
    }

    static void setThreads(int n) {
        JniUtils.setNumThreads(n);
    }

    static String version() {
        return "libtorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + " (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")";
    }

    NDManager base() {
        return base;
    }

    /** A float32 array holding the tensor's values. */
    PtNDArray of(Tensor t) {
        return of(t, base);
    }

    /** A libtorch copy of t owned by m (freed when m is closed). */
    static PtNDArray of(Tensor t, NDManager m) {
        return (PtNDArray) m.create(t.toArray(), new Shape(Arrays.stream(t.shape()).mapToLong(v -> v).toArray()));
    }

    /** A new handle on the same storage (no copy), owned by {@code m}, with requires_grad as asked. */
    static PtNDArray view(PtNDArray a, NDManager m, boolean grad) {
        PtNDArray d = JniUtils.detachGradient(a);
        d.attach(m);
        if (grad) {
            JniUtils.attachGradient(d, true);
        }
        return d;
    }

    /**
     * A TorchScript module whose forward(args…) returns one expression, loaded by libtorch's own
     * loader from an archive built in memory (data.pkl: an instance of __torch__.M with its
     * attribute training; code/__torch__.py: the class; constants.pkl: an empty tuple).
     */
    PtSymbolBlock script(String args, String expression) throws IOException {
        StringBuilder sig = new StringBuilder();
        for (String a : args.split(",")) {
            sig.append(",\n    ").append(a.trim()).append(": Tensor");
        }
        String code = "class M(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__.M" + sig + ") -> Tensor:\n"
                + "    return " + expression + "\n";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        data.write("c__torch__\nM\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL __torch__.M
        data.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK BINUNICODE(8)
        data.write("training".getBytes(StandardCharsets.US_ASCII));
        data.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE SETITEMS BUILD STOP
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            put(z, "m/data.pkl", data.toByteArray());
            put(z, "m/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(z, "m/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(z, "m/version", "10\n".getBytes(StandardCharsets.US_ASCII));
        }
        return JniUtils.loadModule((PtNDManager) base, new ByteArrayInputStream(out.toByteArray()), false, false);
    }

    static PtNDArray call(PtSymbolBlock module, PtNDArray... args) {
        return (PtNDArray) IValueUtils.forward(module, new NDList((NDArray[]) args), true).singletonOrThrow();
    }

    private static void put(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(bytes);
        z.closeEntry();
    }

    @Override
    public void close() {
        base.close();
    }
}
