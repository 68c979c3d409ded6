package layerlab.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import layerlab.tensor.Rng;
import layerlab.tensor.Tensor;

/**
 * Mini-batches over a {@link Dataset}, in order or shuffled with a seed.
 *
 * <p>Shuffling draws a new permutation for every epoch from (seed, epoch) alone, so the batches
 * of epoch 3 are the same on every run and do not depend on how often earlier epochs were
 * iterated. Iterating the object itself gives epoch 0.
 *
 * <pre>{@code
 * Batches batches = Batches.of(train, 64).shuffled(7);
 * for (int epoch = 0; epoch < 5; epoch++) {
 *     for (Batch b : batches.epoch(epoch)) { step.run(b.images(), b.labels()); }
 * }
 * }</pre>
 *
 * <p>The last batch is smaller when the batch size does not divide N, unless {@link #dropLast()}.
 */
public final class Batches implements Iterable<Batch> {
    private final Dataset data;
    private final int batchSize;
    private final Long seed; // null: in order
    private final boolean dropLast;

    private Batches(Dataset data, int batchSize, Long seed, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batches: expected a batch size >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Batches of {@code batchSize} in the data set's order. */
    public static Batches of(Dataset data, int batchSize) {
        return new Batches(data, batchSize, null, false);
    }

    /** The same batching, shuffled anew each epoch from {@code seed}. */
    public Batches shuffled(long seed) {
        return new Batches(data, batchSize, seed, dropLast);
    }

    /** The same batching without the last, smaller batch. */
    public Batches dropLast() {
        return new Batches(data, batchSize, seed, true);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per epoch. */
    public int count() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        return epoch(0).iterator();
    }

    /** The batches of one epoch (its own permutation when shuffled). */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("Batches: epoch " + epoch + " has " + count() + " batches");
                }
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                return gather(order, from, to, next++);
            }
        };
    }

    /** The example order of an epoch: 0…N−1, or a Fisher–Yates permutation keyed by (seed, epoch). */
    int[] order(int epoch) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (seed != null) {
            long stream = Rng.bits(seed, epoch);
            for (int i = n - 1; i > 0; i--) {
                // j uniform in [0, i]: the high 31 random bits scaled to the range
                int j = (int) (((Rng.bits(stream, i) >>> 33) * (i + 1L)) >>> 31);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private Batch gather(int[] order, int from, int to, int index) {
        Tensor images = data.images();
        int per = images.numel() / data.size();
        int[] shape = images.shape();
        shape[0] = to - from;
        float[] x = new float[(to - from) * per]; // (B, …) rows copied in batch order
        int[] y = new int[to - from];
        for (int b = 0; b < to - from; b++) {
            int src = order[from + b];
            System.arraycopy(images.data(), src * per, x, b * per, per);
            y[b] = data.labels()[src];
        }
        return new Batch(Tensor.of(x, shape), y, index);
    }

    @Override
    public String toString() {
        return "Batches(batchSize=" + batchSize + ", " + count() + " per epoch"
                + (seed == null ? "" : ", shuffled with seed " + seed) + (dropLast ? ", dropLast" : "") + ")";
    }
}
