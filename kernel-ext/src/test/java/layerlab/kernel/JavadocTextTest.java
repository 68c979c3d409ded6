package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocTextTest {
    @Test
    void detailZeroKeepsTheFirstParagraphAndOneTheTags() {
        String c = " Max over {@code k×k} windows; see {@link Pooling#forward}.\n <p>Backward: dX where X &gt; 0.\n @param kernel the window size\n @return this";
        assertEquals("Max over k×k windows; see Pooling.forward.", JavadocText.render(c, 0));
        String one = JavadocText.render(c, 1);
        assertTrue(one.contains("Backward: dX where X > 0."), one);
        assertTrue(one.contains("param  kernel the window size") && one.contains("returns this"), one);
    }

    @Test
    void signaturesAsJShellPrintsThem() {
        JavadocSource.Sig ctor = JavadocSource.Sig.parse("MaxPool(int kernel, int stride)");
        assertEquals(new JavadocSource.Sig("MaxPool", "MaxPool", List.of("int", "int")), ctor);
        assertTrue(ctor.isConstructor());
        JavadocSource.Sig m = JavadocSource.Sig.parse("Tensor Tensor.randn(Seed seed, int... shape)");
        assertEquals(new JavadocSource.Sig("Tensor", "randn", List.of("Seed", "int[]")), m);
        assertEquals("Config", JavadocSource.Sig.simpleType("MaxPool.Config"));
        assertEquals("List", JavadocSource.Sig.simpleType("java.util.List<java.lang.String>"));
        assertEquals("ReLU", JavadocSource.Sig.parse("layerlab.nn.ReLU").owner());
    }
}
