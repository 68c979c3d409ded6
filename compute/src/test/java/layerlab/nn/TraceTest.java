package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import layerlab.nn.TestLayers.ChannelSum;
import layerlab.nn.TestLayers.Scale;
import layerlab.nn.TestLayers.Shift;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Trace: what the %%layers magic shows — every child's output, with a dotted path. */
class TraceTest {
    private static List<String> names(List<Trace.Entry> entries) {
        return entries.stream().map(Trace.Entry::name).toList();
    }

    @Test
    void recordsEachChildOutputInOrder() {
        Sequential net = new Sequential(new Scale("w", 2), new ReLU(), new Shift(1));
        Tensor x = Tensor.of(new float[] {-1, 3}, 2);
        List<Trace.Entry> e = Trace.run(() -> net.forward(x));
        assertEquals(List.of("0: Scale(w)", "1: ReLU()", "2: Shift(1.0)"), names(e));
        assertEquals(Tensor.of(new float[] {-2, 6}, 2), e.get(0).output());
        assertEquals(Tensor.of(new float[] {0, 6}, 2), e.get(1).output());
        assertEquals(Tensor.of(new float[] {1, 7}, 2), e.get(2).output());
        assertSame(net.get(1), e.get(1).layer());
        assertEquals("2", e.get(2).path());
    }

    @Test
    void namesReadAsTheMagicShowsThem() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1), new ReLU(), new MaxPool(2, 2));
        List<Trace.Entry> e = Trace.run(() -> net.forward(Tensor.rand(Seed.of(1), 1, 1, 4, 4)));
        assertEquals("2: MaxPool(kernel=2, stride=2)", e.get(2).name());
        assertArrayEquals(new int[] {1, 2, 2, 2}, e.get(2).output().shape());
    }

    @Test
    void nestedContainersGetDottedPaths() {
        Sequential net = new Sequential(new Scale("a", 1),
                new Residual(new Sequential(new ReLU(), new Scale("b", 1))),
                new Concat(new ReLU(), new ChannelSum()));
        List<Trace.Entry> e = Trace.run(() -> net.forward(Tensor.ones(1, 2, 3)));
        assertEquals(List.of("0: Scale(a)", "1.0.0: ReLU()", "1.0.1: Scale(b)",
                "1.0: Sequential(2 layers)", "1: Residual(Sequential(2 layers))",
                "2.0: ReLU()", "2.1: ChannelSum()", "2: Concat(ReLU(), ChannelSum())"), names(e));
        assertArrayEquals(new int[] {1, 3, 3}, e.get(7).output().shape());
    }

    @Test
    void nothingIsRecordedOutsideATrace() {
        Sequential net = new Sequential(new ReLU());
        net.forward(Tensor.ones(2)); // no trace: nothing to record into, and no error
        try (Trace t = Trace.start()) {
            assertTrue(t.entries().isEmpty());
            net.forward(Tensor.ones(2));
            assertEquals(1, t.entries().size());
        }
        assertEquals(null, Trace.current());
    }

    @Test
    void tracesNestAndRestoreTheOuterOne() {
        Sequential net = new Sequential(new ReLU());
        try (Trace outer = Trace.start()) {
            net.forward(Tensor.ones(2));
            try (Trace inner = Trace.start()) {
                net.forward(Tensor.ones(2));
                net.forward(Tensor.ones(2));
                assertEquals(2, inner.entries().size());
            }
            net.forward(Tensor.ones(2));
            assertEquals(2, outer.entries().size());
        }
    }

    @Test
    void aFailingLayerLeavesTheTraceUsable() {
        Sequential bad = new Sequential(new ReLU(), new Concat(new ReLU()));
        Sequential good = new Sequential(new ReLU());
        try (Trace t = Trace.start()) {
            assertThrows(IllegalArgumentException.class, () -> bad.forward(Tensor.ones(3)));
            good.forward(Tensor.ones(3));
            // the branch ran before Concat refused its rank-1 output; the next forward starts at "0" again
            assertEquals(List.of("0: ReLU()", "1.0: ReLU()", "0: ReLU()"), names(t.entries()));
        }
    }

    @Test
    void aTraceSeesOnlyItsOwnThread() throws Exception {
        Sequential net = new Sequential(new ReLU());
        try (Trace t = Trace.start()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    net.forward(Tensor.ones(2));
                    assertEquals(null, Trace.current());
                    assertThrows(IllegalStateException.class, t::close);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            other.start();
            other.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertTrue(t.entries().isEmpty());
        }
    }

    @Test
    void entryToStringShowsTheShape() {
        List<Trace.Entry> e = Trace.run(() -> new Sequential(new ReLU()).forward(Tensor.ones(2, 3)));
        assertEquals("0: ReLU() -> [2, 3]", e.get(0).toString());
    }

    @Test
    void aSharedTraceRecordsForwardsOnAnotherThread() throws Exception {
        Sequential net = new Sequential(new ReLU(), new ReLU());
        List<Trace.Entry> seen;
        try (Trace t = Trace.startShared()) {
            Thread worker = new Thread(() -> net.forward(Tensor.randn(Seed.of(1), 2, 3)));
            worker.start();
            worker.join();
            seen = t.entries();
            assertThrows(IllegalStateException.class, Trace::startShared, "only one shared trace at a time");
        }
        assertEquals(List.of("0: ReLU()", "1: ReLU()"), seen.stream().map(Trace.Entry::name).toList());
        assertTrue(Trace.run(() -> { }).isEmpty());
        try (Trace t = Trace.startShared()) {
            assertTrue(t.entries().isEmpty(), "a closed shared trace leaves nothing behind");
        }
    }
}
