package layerlab.nn;

import java.util.Arrays;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/** Checks every layer shares, so their error messages read alike: "Layer(config): expected …, got …". */
public final class Layers {
    private Layers() {}

    /** Fails unless the condition holds; the message is prefixed with the layer's toString(). */
    public static void require(Object layer, boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(layer + ": " + message);
        }
    }

    /** What forward kept, or a clear error if backward came first. */
    public static <T> T saved(Object layer, T kept) {
        if (kept == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        return kept;
    }

    /** The input's rank is one of the allowed ones; {@code layout} names them, e.g. "4 (N,C,H,W)". */
    public static void requireRank(Object layer, Tensor x, String layout, int... ranks) {
        for (int r : ranks) {
            if (x.rank() == r) {
                return;
            }
        }
        throw new IllegalArgumentException(layer + ": expected rank " + layout + ", got shape " + Shapes.str(x.shape()));
    }

    /** A tensor has the shape a layer expects (dOut against the shape forward returned). */
    public static void requireShape(Object layer, String what, int[] expected, Tensor got) {
        if (!Arrays.equals(expected, got.shape())) {
            throw new IllegalArgumentException(layer + ": expected " + what + " of shape "
                    + Shapes.str(expected) + ", got shape " + Shapes.str(got.shape()));
        }
    }

    /** Two tensors have the same shape (dOut against forward's output, weight against input…). */
    public static void requireSameShape(Object layer, String what, Tensor expected, Tensor got) {
        if (!Arrays.equals(expected.shape(), got.shape())) {
            throw new IllegalArgumentException(layer + ": expected " + what + " of shape "
                    + Shapes.str(expected.shape()) + ", got shape " + Shapes.str(got.shape()));
        }
    }
}
