package layerlab.tensor;

/**
 * An explicit seed for the lab's random numbers, named so it can never pass for a dimension:
 * {@code Tensor.randn(Seed.of(7), 2, 3)} is a 2×3 tensor drawn from seed 7, while
 * {@code Tensor.randn(2, 3)} is a 2×3 tensor drawn from the notebook's default seeds
 * ({@code %seed N}, see {@link Seeds}). Element i of a seeded draw depends only on (seed, i),
 * so it repeats across runs, thread counts and devices (see {@link Rng}).
 */
public record Seed(long value) {

    /** The seed {@code value}. */
    public static Seed of(long value) {
        return new Seed(value);
    }

    /** The next of the notebook's default seeds ({@link Seeds#next()}). */
    public static Seed next() {
        return new Seed(Seeds.next());
    }

    @Override
    public String toString() {
        return "Seed(" + value + ")";
    }
}
