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
 * gather (indices 0, s, 2s, …), so a window of any size and stride is k·k gathers per L outputs;
 * for stride 2 the gather is two contiguous loads and one shuffle that keeps the even lanes.
 * A row's last vector is masked (a scalar tail mispredicts its branches on random data: 2.5×
 * slower); windows cut by the left or right padding take the scalar walk. Same results bit for bit: the window is visited in the same row-major order, with the
 * same rule (v &gt; best or v is NaN: the first maximum wins, NaN propagates), the same float sum.
 */
public final class VecPool {
    private VecPool() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lanes 0, 2, 4, … of two neighbouring vectors: stride-2 windows without a gather. */
    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN = jdk.incubator.vector.VectorShuffle.fromOp(S, j -> 2 * j);

    /**
     * x[off + s·j] for every lane j (the caller makes sure they lie in x; lanes past a row's last
     * output read values that are never stored): a two-vector shuffle for stride 2 (when both
     * vectors lie in x), else a gather.
     */
    private static FloatVector strided(float[] x, int off, int stride, int[] map) {
        if (stride == 2 && off + 2 * L <= x.length) {
            return FloatVector.fromArray(S, x, off).rearrange(EVEN, FloatVector.fromArray(S, x, off + L));
        }
        return FloatVector.fromArray(S, x, off, map, 0);
    }

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
                for (; ow < last; ow += L) { // the last vector of a row is masked (NOTE: a scalar tail mispredicts)
                    VectorMask<Float> m = S.indexInRange(ow, last);
                    int col0 = ow * stride - pad;
                    if (xBase + (h1 - 1) * inW + col0 + kernel - 1 + stride * (L - 1) >= x.length) {
                        break; // the very end of x: the rest by the scalar walk
                    }
                    if (max) {
                        FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                        IntVector at = IntVector.zero(SI).add(xBase + h0 * inW + col0).add(laneCols);
                        for (int h = h0; h < h1; h++) {
                            int row = xBase + h * inW + col0;
                            for (int kj = 0; kj < kernel; kj++) {
                                FloatVector v = strided(x, row + kj, stride, map);
                                VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                                best = best.blend(v, take);
                                at = at.blend(laneCols.add(row + kj), take.cast(SI));
                            }
                        }
                        best.intoArray(y, o + ow, m);
                        at.intoArray(argmax, o + ow, m.cast(SI));
                    } else {
                        FloatVector sum = FloatVector.zero(S);
                        for (int h = h0; h < h1; h++) {
                            int row = xBase + h * inW + col0;
                            for (int kj = 0; kj < kernel; kj++) {
                                sum = sum.add(strided(x, row + kj, stride, map));
                            }
                        }
                        int count = (countIncludePad ? winH[3 * oh + 2] : h1 - h0) * kernel;
                        sum.div((float) count).intoArray(y, o + ow, m);
                    }
                }
                for (ow = Math.min(ow, last); ow < outW; ow++) {
                    scalar(y, argmax, x, xBase, inW, h0, h1, winW, oh, ow, o + ow, winH, max, countIncludePad);
                }
            }
        });
        return true;
    }

    private static final jdk.incubator.vector.VectorShuffle<Float> DUP_LO = jdk.incubator.vector.VectorShuffle.fromOp(S, j -> j / 2);
    private static final jdk.incubator.vector.VectorShuffle<Float> DUP_HI = jdk.incubator.vector.VectorShuffle.fromOp(S, j -> L / 2 + j / 2);

    /**
     * Average pooling backward (T = 1) for 2×2 windows with stride 2 and no padding: each input
     * element is under exactly one window, so for L outputs of a row the 2L inputs below them get
     * g = dy/count each, written as two vectors of the g's repeated in pairs. Returns false (nothing
     * done) for other windows. dx accumulates, as in PoolKernels.backward; the same float g.
     */
    public static boolean avgBackward2x2(float[] dx, float[] dy, int planes, int inH, int inW,
                                         int[] winH, int[] winW, boolean countIncludePad) {
        int outH = winH.length / 3;
        int outW = winW.length / 3;
        for (int o = 0; o < outW; o++) {
            if (winW[3 * o] != 2 * o || winW[3 * o + 1] != 2 * o + 2) {
                return false;
            }
        }
        for (int o = 0; o < outH; o++) {
            if (winH[3 * o] != 2 * o || winH[3 * o + 1] != 2 * o + 2) {
                return false;
            }
        }
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        float count = 4f; // every window checked above lies inside the input: 2 × 2 with or without countIncludePad
        Parallel.forRange(planes, 4L * inPlane, nc -> {
            for (int oh = 0; oh < outH; oh++) {
                int o = nc * outPlane + oh * outW;
                int ow = 0;
                for (; ow + L <= outW && 2 * ow + 2 * L <= inW; ow += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, o + ow).div(count);
                    FloatVector lo = g.rearrange(DUP_LO);
                    FloatVector hi = g.rearrange(DUP_HI);
                    for (int h = 2 * oh; h < 2 * oh + 2; h++) {
                        int at = nc * inPlane + h * inW + 2 * ow;
                        FloatVector.fromArray(S, dx, at).add(lo).intoArray(dx, at);
                        FloatVector.fromArray(S, dx, at + L).add(hi).intoArray(dx, at + L);
                    }
                }
                for (; ow < outW; ow++) {
                    float g = dy[o + ow] / count;
                    for (int h = 2 * oh; h < 2 * oh + 2; h++) {
                        int at = nc * inPlane + h * inW + 2 * ow;
                        dx[at] += g;
                        dx[at + 1] += g;
                    }
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
