package layerlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layerlab.nn.ReLU;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BuffersTest {
    private static final int BIG = Buffers.MIN_LENGTH * 2;

    @BeforeEach
    void clear() {
        Buffers.clear();
    }

    @Test
    void theTestSuitesRunInPoisonMode() {
        // the whole suite relies on it: a kernel that leaves part of an empty() output unwritten
        // must show NaN there and fail its test (set in the parent pom's test.jvm.flags)
        assertTrue(Buffers.poison(), "expected -Dlayerlab.poison=true in the test JVM");
        Tensor t = Tensor.empty(3, 4);
        for (float v : t.data()) {
            assertTrue(Float.isNaN(v), "an empty tensor in poison mode holds NaN, got " + v);
        }
    }

    @Test
    void aReleasedArrayIsHandedOutAgain() {
        Tensor a = Tensor.empty(2, BIG / 2);
        float[] storage = a.data();
        long before = Buffers.reusedCount();
        a.release();
        assertEquals(4L * BIG, Buffers.heldBytes());
        Tensor b = Tensor.empty(BIG);
        assertSame(storage, b.data(), "the same length reuses the released array");
        assertEquals(before + 1, Buffers.reusedCount());
        assertEquals(0, Buffers.heldBytes());
        assertNotSame(storage, Tensor.empty(BIG).data(), "nothing is left to reuse: a new array");
    }

    @Test
    void anotherLengthDoesNotReuse() {
        Tensor a = Tensor.empty(BIG);
        float[] storage = a.data();
        a.release();
        assertNotSame(storage, Tensor.empty(BIG + 1).data());
        assertEquals(4L * BIG, Buffers.heldBytes(), "the released array is still held for its length");
    }

    @Test
    void smallArraysAreLeftToTheCollector() {
        Tensor.empty(16).release();
        assertEquals(0, Buffers.heldBytes());
    }

    @Test
    void aTensorAndItsReshapeReleasedTwiceAreKeptOnce() {
        Tensor a = Tensor.empty(BIG);
        Tensor view = a.reshape(2, BIG / 2);
        a.release();
        view.release();
        a.release(); // a second release of the same tensor does nothing
        assertEquals(4L * BIG, Buffers.heldBytes());
        Tensor b = Tensor.empty(BIG);
        Tensor c = Tensor.empty(BIG);
        assertNotSame(b.data(), c.data(), "two live tensors never share one array");
    }

    @Test
    void aReleasedTensorNamesItselfWhenUsed() {
        Tensor a = Tensor.zeros(4, BIG / 4);
        a.release();
        assertTrue(a.released());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::data);
        assertTrue(e.getMessage().contains("Tensor[4, " + BIG / 4 + "] was released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.get(0, 0));
        assertThrows(IllegalStateException.class, () -> a.reshape(-1));
        assertThrows(IllegalStateException.class, a::copy);
        assertEquals(BIG, a.numel(), "the shape stays readable");
        assertTrue(a.toString().contains("released"), a.toString());
    }

    @Test
    void layersWriteEveryElementOfARecycledOutput() {
        // the second forward gets the first one's released array (NaN-filled in poison mode)
        Tensor x = Tensor.randn(Seed.of(7), BIG);
        ReLU relu = new ReLU();
        Tensor y1 = relu.forward(x);
        float[] first = y1.toArray();
        float[] storage = y1.data();
        y1.release();
        Tensor y2 = relu.forward(x);
        assertSame(storage, y2.data());
        assertArrayEquals(first, y2.data(), 0f);
    }
}
