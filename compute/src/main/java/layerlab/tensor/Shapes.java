package layerlab.tensor;

import java.util.Arrays;

/** Small helpers on shapes (int arrays): products, formatting, checks. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape; every dimension must be ≥ 1. */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("Tensor: every dimension must be >= 1, got shape " + str(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Tensor: shape " + str(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /** Product of dims [from, to). */
    public static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** "[2, 3, 4]" — the form every error message uses. */
    public static String str(int... shape) {
        return Arrays.toString(shape);
    }

    /** Throws {@link IllegalArgumentException} with the message when the condition fails. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
