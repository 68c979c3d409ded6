package layerlab.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import layerlab.tensor.Tensor;

/**
 * libtorch as the test oracle, through DJL, offline (DESIGN.md §4).
 *
 * <p>One manager per test: {@code try (Torch t = new Torch()) { … }}. Arrays created through it
 * are freed when it closes. {@code withGrad} marks an array as requiring a gradient;
 * {@link #backward(NDArray, Tensor)} runs autograd with a given upstream gradient.
 */
public final class Torch implements AutoCloseable {
    private final NDManager manager;

    public Torch() {
        if (!"true".equals(System.getProperty("ai.djl.offline"))) {
            throw new IllegalStateException("DJL must run offline: start the JVM with -Dai.djl.offline=true");
        }
        manager = NDManager.newBaseManager("PyTorch");
    }

    public NDManager manager() {
        return manager;
    }

    /** A float32 libtorch array with the tensor's shape and values. */
    public NDArray of(Tensor t) {
        return manager.create(t.toArray(), new Shape(Arrays.stream(t.shape()).mapToLong(v -> v).toArray()));
    }

    /** Same, with requires_grad set. */
    public NDArray withGrad(Tensor t) {
        NDArray a = of(t);
        a.setRequiresGradient(true);
        return a;
    }

    /** Back to a layerlab tensor (copies). */
    public static Tensor tensor(NDArray a) {
        long[] s = a.getShape().getShape();
        int[] shape = s.length == 0 ? new int[] {1} : Arrays.stream(s).mapToInt(v -> (int) v).toArray();
        return Tensor.of(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), shape);
    }

    /** Runs autograd from {@code out} with upstream gradient {@code dOut}: afterwards {@code x.getGradient()} holds dL/dx. */
    public void backward(NDArray out, Tensor dOut) {
        NDArray g = of(dOut);
        JniUtils.backward((PtNDArray) out, (PtNDArray) g, false, false);
    }

    /** The gradient libtorch accumulated for an array created with {@link #withGrad}. */
    public static Tensor grad(NDArray a) {
        return tensor(a.getGradient());
    }

    @Override
    public void close() {
        manager.close();
    }
}
