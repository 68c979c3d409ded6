package layerlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batching: sizes, order, seeded shuffling, and images staying with their labels. */
class BatchesTest {
    /** 10 examples of shape (1, 2): example i holds (i, 100+i), label i % 3. */
    private static Dataset tiny() {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 100 + i;
            y[i] = i % 3;
        }
        return new Dataset(Tensor.of(x, 10, 1, 2), y, List.of("a", "b", "c"));
    }

    private static List<Integer> ids(Iterable<Batch> batches) {
        List<Integer> ids = new ArrayList<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.size(); i++) {
                int id = (int) b.images().get(i, 0, 0);
                assertEquals(100 + id, b.images().get(i, 0, 1), "row stays whole");
                assertEquals(id % 3, b.labels()[i], "label follows its image");
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void inOrderWithASmallerLastBatch() {
        Batches batches = Batches.of(tiny(), 4);
        assertEquals(3, batches.count());
        List<Batch> all = new ArrayList<>();
        batches.forEach(all::add);
        assertEquals(List.of(4, 4, 2), all.stream().map(Batch::size).toList());
        assertArrayEquals(new int[] {4, 1, 2}, all.get(0).images().shape());
        assertArrayEquals(new int[] {2, 1, 2}, all.get(2).images().shape());
        assertEquals(List.of(0, 1, 2), all.stream().map(Batch::index).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids(batches));
    }

    @Test
    void dropLastDropsThePartialBatch() {
        Batches batches = Batches.of(tiny(), 4).dropLast();
        assertEquals(2, batches.count());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), ids(batches));
        assertEquals(5, Batches.of(tiny(), 2).dropLast().count());
    }

    @Test
    void shuffleIsAPermutationReproducibleFromTheSeed() {
        Batches a = Batches.of(tiny(), 3).shuffled(7);
        List<Integer> first = ids(a);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), first.stream().sorted().toList(), "each example once");
        assertEquals(first, ids(Batches.of(tiny(), 3).shuffled(7)), "same seed, same order");
        assertEquals(first, ids(a), "iterating again gives epoch 0 again");
        assertEquals(first, ids(a.epoch(0)));
        assertFalse(first.equals(ids(a.epoch(1))), "a new permutation each epoch");
        assertFalse(first.equals(ids(Batches.of(tiny(), 3).shuffled(8))), "another seed, another order");
        assertFalse(first.equals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
    }

    @Test
    void shuffleIsRoughlyUniform() {
        // over many epochs each example lands in position 0 about equally often
        Dataset d = tiny();
        Batches b = Batches.of(d, 10).shuffled(1);
        int[] firstCounts = new int[10];
        int epochs = 20000;
        for (int e = 0; e < epochs; e++) {
            firstCounts[b.order(e)[0]]++;
        }
        for (int c : firstCounts) {
            // expected 2000, std ≈ 42
            assertEquals(2000, c, 200, Arrays.toString(firstCounts));
        }
    }

    @Test
    void exhaustedIteratorAndBadSizeAreClearErrors() {
        var it = Batches.of(tiny(), 10).iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batches.of(tiny(), 0));
        assertEquals("Batches: expected a batch size >= 1, got 0", e.getMessage());
    }

    @Test
    void datasetChecksLabelsAndSubsets() {
        Dataset d = tiny();
        Dataset s = d.subset(2, 5);
        assertEquals(3, s.size());
        assertArrayEquals(new int[] {2, 0, 1}, s.labels());
        assertEquals(4f, s.images().get(2, 0, 0));
        assertEquals("c", d.className(2));
        assertArrayEquals(new int[] {4, 3, 3}, d.classCounts());
        assertThrows(IllegalArgumentException.class, () -> d.subset(5, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(3, 2), new int[] {0, 1}, List.of("a", "b")));
        assertTrue(e.getMessage().contains("expected one label per example"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 2), new int[] {0, 2}, List.of("a", "b")));
        assertEquals("Dataset: expected labels in 0…1, got 2 at index 1", e.getMessage());
    }
}
