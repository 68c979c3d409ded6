package layerlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Creation, views, indexing and the rank limits of {@link Tensor}. */
class TensorTest {
    @Test
    void creationFillsAsNamed() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).data());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).data());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(2.5f, 2, 1).data());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).data());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).data());
        Tensor g = Tensor.of2d(new float[][] {{1, 3}, {7, 4}});
        assertArrayEquals(new int[] {2, 2}, g.shape());
        assertEquals(7f, g.get(1, 0));
    }

    @Test
    void randnTakesTheShapeAsTheShape() {
        // every int is a dimension, as in NumPy and PyTorch; the seed is named or comes from %seed
        assertArrayEquals(new int[] {2, 3}, Tensor.randn(2, 3).shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 4}, Tensor.randn(1, 2, 3, 4, 4).shape());
        assertArrayEquals(new int[] {5}, Tensor.rand(5).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.randn(Seed.of(7), 2, 3).shape());
        assertEquals(Tensor.randn(Seed.of(7), 2, 3), Tensor.randn(Seed.of(7), 2, 3));
        assertEquals(Rng.normal(7, 4), Tensor.randn(Seed.of(7), 2, 3).get(1, 1));
        assertEquals(Rng.uniform(7, 4), Tensor.rand(Seed.of(7), 2, 3).get(1, 1));
    }

    @Test
    void defaultSeedsRepeatAfterSeedsSet() {
        Seeds.set(123);
        Tensor a = Tensor.randn(4, 4);
        Tensor b = Tensor.randn(4, 4);
        Seeds.set(123);
        assertEquals(a, Tensor.randn(4, 4), "the first draw after %seed 123 repeats");
        assertEquals(b, Tensor.randn(4, 4), "so does the second");
        assertTrue(!a.equals(b), "two draws in a row differ");
        Seeds.set(42);
    }

    @Test
    void ofWrapsWithoutCopyingAndChecksTheCount() {
        float[] d = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(d, 2, 3);
        assertSame(d, t.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(d, 4, 2));
        assertEquals("Tensor.of: shape [4, 2] needs 8 values, got 6", e.getMessage());
    }

    @Test
    void rowMajorIndexing() {
        Tensor t = Tensor.arange(24).reshape(2, 3, 4);
        assertEquals(1 * 12 + 2 * 4 + 3, t.get(1, 2, 3));
        assertEquals(1 * 12 + 2 * 4 + 3, t.offset(1, 2, 3));
        t.set(-1f, 0, 1, 2);
        assertEquals(-1f, t.data()[6]);
    }

    @Test
    void reshapeInfersOneDimensionAndSharesStorage() {
        Tensor t = Tensor.arange(24);
        Tensor r = t.reshape(2, -1, 4);
        assertArrayEquals(new int[] {2, 3, 4}, r.shape());
        assertSame(t.data(), r.data());
        assertArrayEquals(new int[] {24}, r.reshape(-1).shape());
        assertArrayEquals(new int[] {1, 24}, t.reshape(1, -1).shape());
    }

    @Test
    void reshapeErrorsAreClear() {
        Tensor t = Tensor.arange(24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 5));
        assertEquals("Tensor.reshape: cannot view shape [24] (24 values) as [5, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertTrue(e.getMessage().contains("only one dimension may be -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertTrue(e.getMessage().contains("[5, -1]"), e.getMessage());
    }

    @Test
    void flattenMergesTrailingDimensions() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, x.flatten(1).shape());
        assertArrayEquals(new int[] {120}, x.flatten(0).shape());
        assertArrayEquals(new int[] {2, 3, 20}, x.flatten(-2).shape());
        assertArrayEquals(new int[] {2, 3, 4, 5}, x.flatten(3).shape());
        assertSame(x.data(), x.flatten(1).data());
        assertThrows(IllegalArgumentException.class, () -> x.flatten(4));
    }

    @Test
    void outOfBoundsIndexIsAClearError() {
        Tensor t = Tensor.zeros(2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertEquals("Tensor.get: index [2, 0] is out of bounds for shape [2, 3]", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.set(1f, 0, 3));
        IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertEquals("Tensor.get: expected 2 indices for shape [2, 3], got 1", wrongCount.getMessage());
    }

    @Test
    void rankIsOneToFive() {
        assertEquals(1, Tensor.zeros(3).rank());
        assertEquals(5, Tensor.zeros(1, 2, 1, 2, 1).rank());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros());
        assertEquals("Tensor: rank must be 1 to 5, got shape []", none.getMessage());
        IllegalArgumentException six = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1, 1, 1, 1, 1));
        assertEquals("Tensor: rank must be 1 to 5, got shape [1, 1, 1, 1, 1, 1]", six.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(6).reshape(1, 1, 1, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[1], new int[0]));
    }

    @Test
    void nonPositiveDimensionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0));
        assertEquals("Tensor: every dimension must be >= 1, got shape [2, 0]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(-3));
    }

    @Test
    void copiesAreDeepAndEqualityIsByValue() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        Tensor c = a.copy();
        assertNotSame(a.data(), c.data());
        assertEquals(a, c);
        assertEquals(a.hashCode(), c.hashCode());
        c.data()[0] = 9;
        assertEquals(0f, a.data()[0]);
        assertTrue(!a.equals(c));
        assertTrue(!a.equals(a.reshape(3, 2)), "same values, other shape");
        float[] arr = a.toArray();
        arr[1] = 7;
        assertEquals(1f, a.get(0, 1), "toArray copies");
        assertEquals(Tensor.zeros(2, 3), a.zerosLike());
    }

    @Test
    void sizeAndAxisAcceptNegativeDimensions() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertEquals(4, t.size(-1));
        assertEquals(2, t.size(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.size(3));
        assertEquals("Tensor: axis 3 is out of range for shape [2, 3, 4]", e.getMessage());
    }

    @Test
    void deviceIsCpuAndAnotherDeviceHoldsNoHostArray() {
        Tensor t = Tensor.ones(2);
        assertEquals(Device.CPU, t.device());
        assertSame(t, t.to(Device.CPU));
        Tensor d = t.to(Device.OPENCL); // stays on the cpu (with a notice) where OpenCL is unavailable
        if (d.device() == Device.OPENCL) {
            IllegalStateException e = assertThrows(IllegalStateException.class, d::data);
            assertTrue(e.getMessage().contains("to(Device.CPU)"), e.getMessage());
        }
        assertEquals(t, d.to(Device.CPU));
    }

    @Test
    void toStringIsShort() {
        assertEquals("Tensor[2] cpu [1.0, 2.0]", Tensor.of(new float[] {1, 2}, 2).toString());
        assertTrue(Tensor.zeros(100).toString().endsWith(", …]"));
    }
}
