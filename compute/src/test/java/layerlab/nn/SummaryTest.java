package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import layerlab.nn.TestLayers.ChannelSum;
import layerlab.nn.TestLayers.FakeNorm;
import layerlab.nn.TestLayers.Scale;
import org.junit.jupiter.api.Test;

/** Summary: rows, shapes without computing, trainable vs non-trainable counts, the text table. */
class SummaryTest {
    @Test
    void rowsPerChildWithShapesAndCounts() {
        Scale a = new Scale("a", 1);
        Sequential net = new Sequential(a, new FakeNorm(3), new ReLU(), new ChannelSum());
        Summary s = net.summary(2, 3, 4, 4);
        assertEquals(4, s.rows().size());
        Summary.Row norm = s.rows().get(1);
        assertEquals("1", norm.index());
        assertEquals("FakeNorm(3)", norm.name());
        assertArrayEquals(new int[] {2, 3, 4, 4}, norm.outputShape());
        assertEquals(6, norm.trainable());
        assertEquals(6, norm.nonTrainable());
        assertArrayEquals(new int[] {2, 1, 4, 4}, s.rows().get(3).outputShape());
        assertArrayEquals(new int[] {2, 1, 4, 4}, s.outputShape());
        assertEquals(7, s.totalTrainable());
        assertEquals(6, s.totalNonTrainable());
        assertEquals(13, s.total());
        assertEquals(0, a.forwards, "summary computes nothing");
    }

    @Test
    void normLayersCountFourNumbersPerFeatureMap() {
        // L = 3 norm layers of M = 8 maps: N_BN = 4LM = 96, half of it trainable
        Sequential net = new Sequential(new FakeNorm(8), new ReLU(), new FakeNorm(8), new ReLU(), new FakeNorm(8));
        Summary s = net.summary(1, 8, 5, 5);
        assertEquals(4 * 3 * 8, s.total());
        assertEquals(2 * 3 * 8, s.totalTrainable());
        assertEquals(2 * 3 * 8, s.totalNonTrainable());
    }

    @Test
    void nestedContainersAreExpandedAndCountedOnce() {
        Sequential net = new Sequential(new Scale("a", 1),
                new Residual(new Sequential(new FakeNorm(2), new Scale("b", 1))),
                new Concat(new ReLU(), new ChannelSum()));
        Summary s = net.summary(4, 2, 3);
        assertEquals(List.of("0", "1", "1.0", "1.0.0", "1.0.1", "2", "2.0", "2.1"),
                s.rows().stream().map(Summary.Row::index).toList());
        assertEquals(List.of(0, 0, 1, 2, 2, 0, 1, 1), s.rows().stream().map(Summary.Row::depth).toList());
        assertEquals(5, s.rows().get(1).trainable()); // the residual row includes its children
        assertArrayEquals(new int[] {4, 3, 3}, s.rows().get(5).outputShape());
        assertEquals(1 + 5, s.totalTrainable());
        assertEquals(4, s.totalNonTrainable());
    }

    @Test
    void textTableIsAligned() {
        Sequential net = new Sequential(new Scale("weight", 1), new FakeNorm(1000), new ReLU());
        String t = net.summary(1, 1000, 2).toString();
        System.out.print(t);
        String expected = """
                Sequential(3 layers), input [1, 1000, 2]
                #  Layer           Output shape  Trainable  Non-trainable
                ---------------------------------------------------------
                0  Scale(weight)   [1, 1000, 2]          1              0
                1  FakeNorm(1000)  [1, 1000, 2]      2,000          2,000
                2  ReLU()          [1, 1000, 2]          0              0
                ---------------------------------------------------------
                   Total                             2,001          2,000
                Parameters: 4,001 (2,001 trainable, 2,000 non-trainable)
                """;
        assertEquals(expected, t);
    }

    @Test
    void realBatchNormCountsTwoTrainableAndTwoStatePerMap() {
        // CONV → BN → RELU twice with M = 6 maps: L = 2 BN layers, N_BN = 4LM = 48
        Sequential net = new Sequential(new Conv2d(3, 6, 3, 1, 1), new BatchNorm(6), new ReLU(),
                new Conv2d(6, 6, 3, 1, 1), new BatchNorm(6), new ReLU(), new MaxPool(2, 2));
        Summary s = net.summary(2, 3, 8, 8);
        Summary.Row bn = s.rows().get(1);
        assertEquals(12, bn.trainable());
        assertEquals(12, bn.nonTrainable());
        assertEquals(4 * 2 * 6, s.rows().stream().filter(r -> r.name().startsWith("BatchNorm")).mapToLong(Summary.Row::total).sum());
        assertEquals(6 * (3 * 9 + 1), s.rows().get(0).trainable());
        assertEquals(24, s.totalNonTrainable());
        assertArrayEquals(new int[] {2, 6, 4, 4}, s.outputShape());
    }

    @Test
    void anyLayerCanBeSummarized() {
        Summary s = Summary.of(new Residual(new Scale("w", 1)), 3, 4);
        assertEquals(List.of("0", "0.0"), s.rows().stream().map(Summary.Row::index).toList());
        assertEquals(1, s.totalTrainable());
        Summary relu = Summary.of(new ReLU(), 3);
        assertEquals(1, relu.rows().size());
        assertArrayEquals(new int[] {3}, relu.outputShape());
    }

    @Test
    void shapeErrorsSurfaceFromTheLayers() {
        Sequential net = new Sequential(new Residual(new ChannelSum()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.summary(2, 3, 4));
        assertEquals("Residual(ChannelSum()): expected the inner layer to keep the input shape [2, 3, 4] "
                + "(y = x + F(x)), got F(x) of shape [2, 1, 4]", e.getMessage());
    }
}
