package layerlab.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.backend.cpu.vec.VecPool;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gathered-vector 2D pooling (VecPool) against PoolKernels' scalar walk: outputs and argmax
 * must be identical (same visiting order, same comparison, same float sum), with ties (values
 * rounded to a coarse grid), NaNs and −∞ in the input, padding, ceil mode, widths that leave
 * partial vectors, both averaging divisors; and every shape here is one VecPool accepts (the
 * last column says whether its backward does too), so no case quietly compares the scalar walk
 * with itself.
 */
@ExtendWith(SimdParity.class)
class SimdPoolParityTest {
    @ParameterizedTest(name = "{0}x{1} k={2} s={3} p={4} ceil={5}")
    @CsvSource({"56,56,2,2,0,false,true", "56,56,3,2,1,false,false", "13,77,3,2,1,true,false", "9,40,2,1,0,false,false",
                "7,9,2,3,0,true,false", "20,100,3,1,1,false,false", "16,16,4,4,2,true,false", "5,33,5,2,2,false,false",
                "8,70,2,2,0,false,true", "9,34,2,2,0,true,false", "6,6,2,2,0,false,true", "9,35,2,2,0,false,true",
                "3,64,2,2,0,false,true"})
    void maxAndAverageMatchTheScalarWalk(int h, int w, int k, int s, int p, boolean ceil, boolean backwardToo) {
        int planes = 6;
        int[] shape = {2, 3, h, w};
        float[] x = Tensor.randn(Seed.of(5), planes * h * w).data();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 2) / 2f; // ties
        }
        x[3] = Float.NaN;
        x[w + 5] = Float.NaN;
        x[x.length / 2] = Float.NEGATIVE_INFINITY;
        x[x.length - 7] = Float.NaN;
        for (PoolMode mode : PoolMode.values()) {
            PoolWindows win = PoolWindows.of("pool", mode, shape, k, s, p, ceil);
            assertEquals(true, VecPool.accepts(win), mode + " forward accepted");
            int outs = planes * win.outPlane();
            float[][] yy = new float[2][outs];
            int[][] arg = new int[2][outs];
            VecPool.forward(yy[0], arg[0], x, win);
            PoolKernels.forward(yy[1], arg[1], x, win);
            String what = mode + " " + h + "x" + w + " k=" + k + " s=" + s + " p=" + p;
            assertArrayEquals(yy[1], yy[0], what + " y");
            if (mode == PoolMode.MAX) {
                assertArrayEquals(arg[1], arg[0], what + " argmax");
            }
            assertEquals(backwardToo && mode != PoolMode.MAX, VecPool.acceptsBackward(win), what + " backward accepted");
            if (VecPool.acceptsBackward(win)) {
                float[] dy = Tensor.randn(Seed.of(7), outs).data();
                float[][] dx = new float[2][];
                for (int v = 0; v < 2; v++) {
                    dx[v] = Tensor.randn(Seed.of(8), x.length).data(); // backward overwrites dx: noise first proves it
                }
                VecPool.backward(dx[0], dy, win);
                PoolKernels.backward(dx[1], dy, null, win);
                assertArrayEquals(dx[1], dx[0], what + " dx");
            }
            System.out.println(what + ": identical");
        }
    }

    /**
     * A 3D window over a single frame with padding along T counts the padded frames in its
     * divisor (AVG_INCLUDE_PAD): the 2D vector loops would divide by the H·W part only, so
     * VecPool declines it and CpuBackend gives the scalar walk's numbers with SIMD on or off.
     */
    @org.junit.jupiter.api.Test
    void aPaddedSingleFrameTakesTheScalarWalk() {
        int[] shape = {1, 2, 1, 9, 40};
        PoolWindows win = PoolWindows.of("AvgPool3d", PoolMode.AVG_INCLUDE_PAD, shape, 2, 2, 1, false);
        assertEquals(false, VecPool.accepts(win));
        Tensor x = Tensor.randn(Seed.of(3), shape);
        CpuBackend cpu = new CpuBackend();
        float[][] y = new float[2][];
        for (int v = 0; v < 2; v++) {
            Simd.setEnabled(v == 0);
            Tensor out = Tensor.zeros(win.outShape());
            cpu.poolForward(out, null, x, win);
            y[v] = out.data();
        }
        SimdParity.restore();
        float[] ref = new float[win.planes() * win.outPlane()];
        PoolKernels.forward(ref, null, x.data(), win);
        assertArrayEquals(ref, y[0], "simd on");
        assertArrayEquals(ref, y[1], "simd off");
        assertEquals(x.data()[0] / 8, ref[0], 1e-7f, "the corner window: one input under 2·2·2 positions");
    }
}
