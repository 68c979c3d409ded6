package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gathered-vector 2D pooling against PoolKernels' scalar walk: outputs and argmax must be
 * identical (same visiting order, same comparison, same float sum), with ties (values rounded
 * to a coarse grid), NaNs and −∞ in the input, padding, ceil mode, widths that leave partial
 * vectors, both averaging divisors.
 */
@ExtendWith(SimdParity.class)
class SimdPoolParityTest {
    @ParameterizedTest(name = "{0}x{1} k={2} s={3} p={4} ceil={5}")
    @CsvSource({"56,56,2,2,0,false", "56,56,3,2,1,false", "13,77,3,2,1,true", "9,40,2,1,0,false", "7,9,2,3,0,true",
                "20,100,3,1,1,false", "16,16,4,4,2,true", "5,33,5,2,2,false",
                "8,70,2,2,0,false", "9,34,2,2,0,true", "6,6,2,2,0,false", "9,35,2,2,0,false", "3,64,2,2,0,false"})
    void maxAndAverageMatchTheScalarWalk(int h, int w, int k, int s, int p, boolean ceil) {
        int planes = 6;
        float[] x = Tensor.randn(Seed.of(5), planes * h * w).data();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 2) / 2f; // ties
        }
        x[3] = Float.NaN;
        x[w + 5] = Float.NaN;
        x[x.length / 2] = Float.NEGATIVE_INFINITY;
        x[x.length - 7] = Float.NaN;
        int oh = PoolKernels.outputSize(h, k, s, p, ceil);
        int ow = PoolKernels.outputSize(w, k, s, p, ceil);
        int[] winT = PoolKernels.windows(1, 1, 1, 1, 0);
        int[] winH = PoolKernels.windows(h, oh, k, s, p);
        int[] winW = PoolKernels.windows(w, ow, k, s, p);
        for (boolean max : new boolean[] {true, false}) {
            for (boolean include : new boolean[] {true, false}) {
                float[][] yy = new float[2][planes * oh * ow];
                int[][] arg = new int[2][planes * oh * ow];
                for (int v = 0; v < 2; v++) {
                    Simd.setEnabled(v == 0);
                    PoolKernels.forward(yy[v], arg[v], x, planes, 1, h, w, winT, winH, winW, max, include);
                }
                float[] dy = Tensor.randn(Seed.of(7), planes * oh * ow).data();
                float[][] dx = new float[2][];
                for (int v = 0; v < 2; v++) {
                    Simd.setEnabled(v == 0);
                    dx[v] = Tensor.randn(Seed.of(8), x.length).data(); // backward overwrites dx: noise first proves it
                    PoolKernels.backward(dx[v], dy, arg[v], planes, 1, h, w, winT, winH, winW, max, include);
                }
                SimdParity.restore();
                assertArrayEquals(dx[1], dx[0], (max ? "max" : "avg") + " include=" + include + " dx");
                String what = (max ? "max" : "avg") + " include=" + include;
                System.out.println(what + " " + h + "x" + w + " k=" + k + " s=" + s + " p=" + p + ": identical");
                assertArrayEquals(yy[1], yy[0], what + " y");
                if (max) {
                    assertArrayEquals(arg[1], arg[0], what + " argmax");
                }
            }
        }
    }
}
