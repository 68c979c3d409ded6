package layerlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code %seed N} calls {@link Seeds#set}: the default seeds start over. */
class SeedsTest {
    @AfterEach
    void restoreDefault() {
        Seeds.set(42);
    }

    @Test
    void setRestartsTheSequence() {
        Seeds.set(123);
        long a = Seeds.next();
        long b = Seeds.next();
        long c = Seeds.next();
        assertNotEquals(a, b);
        assertNotEquals(b, c);
        Seeds.set(123);
        assertEquals(a, Seeds.next());
        assertEquals(b, Seeds.next());
        assertEquals(c, Seeds.next());
        assertEquals(123, Seeds.base());
    }

    @Test
    void anotherBaseGivesAnotherSequence() {
        Seeds.set(1);
        long one = Seeds.next();
        Seeds.set(2);
        assertNotEquals(one, Seeds.next());
    }

    @Test
    void sameDefaultSeedsSameTensors() {
        Seeds.set(7);
        Tensor first = Tensor.randn(4, 4);
        Seeds.set(7);
        assertEquals(first, Tensor.randn(4, 4));
    }
}
