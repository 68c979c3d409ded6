package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code PoolKernels.forward} for 2D pooling (T = 1): one vector holds L
 * consecutive outputs of a row; for each window offset (ki, kj) their inputs are one strided
 * gather (indices 0, s, 2s, …), so a window of any size and stride is k·k gathers per L outputs.
 * Windows cut by the left or right padding, and a row's last partial vector, take the scalar
 * walk. Same results bit for bit: the window is visited in the same row-major order, with the
 * same rule (v &gt; best or v is NaN: the first maximum wins, NaN propagates), the same float sum.
 */
public final class VecPool {
    private VecPool() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Whether this machine's float and int vectors have the same lane count (the gathers need it). */
    public static boolean supported() {
        return SI.length() == L;
    }

    /**
     * y, argmax (max only; may be null for mean) over planes × (inH, inW) with PoolKernels' window
     * tables. Returns false (nothing done) when fewer than two windows lie inside a row: then
     * there is nothing to vectorize and the caller runs the scalar loop.
     */
    public static boolean forward2d(float[] y, int[] argmax, float[] x, int planes, int inH, int inW,
                                    int[] winH, int[] winW, boolean max, boolean countIncludePad) {
        int outH = winH.length / 3;
        int outW = winW.length / 3;
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        int kMax = 0;
        for (int o = 0; o < outW; o++) {
            kMax = Math.max(kMax, winW[3 * o + 2]);
        }
        int kernel = kMax;
        // interior outputs [a, b): the window lies inside the row (no padding cut, no ceil overhang)
        int a = 0;
        while (a < outW && winW[3 * a + 1] - winW[3 * a] != kMax) {
            a++;
        }
        int b = a;
        while (b < outW && winW[3 * b + 1] - winW[3 * b] == kMax) {
            b++;
        }
        if (b - a < 2) {
            return false;
        }
        int stride = winW[3 * (a + 1)] - winW[3 * a];
        int pad = a * stride - winW[3 * a];
        int[] map = new int[L]; // lane j reads column j·stride
        for (int j = 0; j < L; j++) {
            map[j] = j * stride;
        }
        int first = a;
        int last = b;
        Parallel.forRange(planes, 2L * kernel * kernel * outPlane, nc -> {
            int xBase = nc * inPlane;
            IntVector laneCols = IntVector.fromArray(SI, map, 0);
            for (int oh = 0; oh < outH; oh++) {
                int h0 = winH[3 * oh];
                int h1 = winH[3 * oh + 1];
                int o = nc * outPlane + oh * outW;
                int ow = 0;
                for (; ow < first; ow++) {
                    scalar(y, argmax, x, xBase, inW, h0, h1, winW, oh, ow, o + ow, winH, max, countIncludePad);
                }
                for (; ow + L <= last; ow += L) {
                    int col0 = ow * stride - pad;
                    if (max) {
                        FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                        IntVector at = IntVector.zero(SI).add(xBase + h0 * inW + col0).add(laneCols);
                        for (int h = h0; h < h1; h++) {
                            int row = xBase + h * inW + col0;
                            for (int kj = 0; kj < kernel; kj++) {
                                FloatVector v = FloatVector.fromArray(S, x, row + kj, map, 0);
                                VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                                best = best.blend(v, take);
                                at = at.blend(laneCols.add(row + kj), take.cast(SI));
                            }
                        }
                        best.intoArray(y, o + ow);
                        at.intoArray(argmax, o + ow);
                    } else {
                        FloatVector sum = FloatVector.zero(S);
                        for (int h = h0; h < h1; h++) {
                            int row = xBase + h * inW + col0;
                            for (int kj = 0; kj < kernel; kj++) {
                                sum = sum.add(FloatVector.fromArray(S, x, row + kj, map, 0));
                            }
                        }
                        int count = (countIncludePad ? winH[3 * oh + 2] : h1 - h0) * kernel;
                        sum.div((float) count).intoArray(y, o + ow);
                    }
                }
                for (; ow < outW; ow++) {
                    scalar(y, argmax, x, xBase, inW, h0, h1, winW, oh, ow, o + ow, winH, max, countIncludePad);
                }
            }
        });
        return true;
    }

    /** One output by the scalar walk of PoolKernels.forward (T = 1). */
    private static void scalar(float[] y, int[] argmax, float[] x, int xBase, int inW, int h0, int h1,
                               int[] winW, int oh, int ow, int o, int[] winH, boolean max, boolean countIncludePad) {
        int w0 = winW[3 * ow];
        int w1 = winW[3 * ow + 1];
        float acc = max ? Float.NEGATIVE_INFINITY : 0f;
        int best = xBase + h0 * inW + w0;
        for (int h = h0; h < h1; h++) {
            int row = xBase + h * inW;
            for (int w = w0; w < w1; w++) {
                float v = x[row + w];
                if (!max) {
                    acc += v;
                } else if (v > acc || v != v) {
                    acc = v;
                    best = row + w;
                }
            }
        }
        if (max) {
            y[o] = acc;
            argmax[o] = best;
        } else {
            int count = countIncludePad ? winH[3 * oh + 2] * winW[3 * ow + 2] : (h1 - h0) * (w1 - w0);
            y[o] = acc / count;
        }
    }
}
