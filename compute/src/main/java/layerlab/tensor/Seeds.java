package layerlab.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's one source of default seeds. A layer or helper that needs randomness and was given
 * no explicit seed (weight initialization, a dropout layer's mask stream) takes
 * {@link #next()}; {@code %seed N} in a notebook calls {@link #set(long)}, so re-running a
 * notebook from the top gives the same numbers.
 */
public final class Seeds {
    private static final AtomicLong base = new AtomicLong(42);
    private static final AtomicLong counter = new AtomicLong();

    private Seeds() {}

    /** Restarts the sequence of default seeds from {@code seed}. */
    public static synchronized void set(long seed) {
        base.set(seed);
        counter.set(0);
    }

    /** The seed last given to {@link #set} (42 at start). */
    public static long base() {
        return base.get();
    }

    /** The next default seed: a function of (base seed, how many were drawn before). */
    public static long next() {
        return Rng.bits(base.get(), counter.getAndIncrement());
    }
}
