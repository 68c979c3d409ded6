package layerlab.backend.cpu.vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.backend.PoolWindows.Axis;
import layerlab.backend.cpu.Parallel;

/**
 * The fast twin of {@code PoolKernels} for 2D pooling (T = 1): one vector holds L consecutive
 * outputs of a row; for each window offset (ki, kj) their inputs are one strided gather
 * (indices 0, s, 2s, …), so a window of any size and stride is k·k gathers per L outputs; for
 * stride 2 the gather is two contiguous loads and one shuffle that keeps the even lanes. A row's
 * last vector is masked (a scalar tail mispredicts its branches on random data: 2.5× slower);
 * windows cut by the left or right padding take the scalar walk. Same results bit for bit: the
 * window is visited in the same row-major order, with the same rule (v &gt; best or v is NaN: the
 * first maximum wins, NaN propagates), the same float sum. {@link #accepts} says which windows
 * these loops take; CpuBackend runs PoolKernels for the others.
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
    private static boolean supported() {
        return SI.length() == L;
    }

    /**
     * Whether {@link #forward} takes these windows: 2D (T of one element, unpadded) and at least
     * two windows wholly inside a row (else there is nothing to vectorize).
     */
    public static boolean accepts(PoolWindows win) {
        return supported() && flat(win.t()) && interiorEnd(win.w()) - interiorStart(win.w()) >= 2;
    }

    /** Whether {@link #backward} takes these windows: average pooling, 2×2 windows 2 apart, no padding (T = 1). */
    public static boolean acceptsBackward(PoolWindows win) {
        return supported() && win.mode() != PoolMode.MAX && flat(win.t()) && win.h().isTiled(2) && win.w().isTiled(2);
    }

    private static boolean flat(Axis t) {
        return t.in() == 1 && t.out() == 1 && t.padded()[0] == 1;
    }

    /** The first output whose window lies wholly inside the input (no padding cut, no ceil overhang). */
    private static int interiorStart(Axis a) {
        int o = 0;
        while (o < a.out() && a.hi()[o] - a.lo()[o] != a.kernel()) {
            o++;
        }
        return o;
    }

    /** One past the last output of the run that starts at {@link #interiorStart}. */
    private static int interiorEnd(Axis a) {
        int o = interiorStart(a);
        while (o < a.out() && a.hi()[o] - a.lo()[o] == a.kernel()) {
            o++;
        }
        return o;
    }

    /**
     * y, argmax (MAX only; may be null for the means) for windows {@link #accepts} takes:
     * rows at least a vector of outputs wide with 2×2 windows 2 apart go to the two-row loads
     * of {@link #forward2x2} (narrower rows measured faster in the gathers: 28×28 inputs, 0.44
     * vs 0.55 ms), the rest to the gathers.
     */
    public static void forward(float[] y, int[] argmax, float[] x, PoolWindows win) {
        boolean max = win.mode() == PoolMode.MAX;
        boolean countIncludePad = win.mode() == PoolMode.AVG_INCLUDE_PAD;
        if (win.h().isTiled(2) && win.w().isTiled(2) && win.w().out() >= 16) {
            forward2x2(y, argmax, x, win.planes(), win.h(), win.w(), max, countIncludePad);
        } else {
            forward2d(y, argmax, x, win.planes(), win.h(), win.w(), max, countIncludePad);
        }
    }

    /** Average pooling backward (dx overwritten) for windows {@link #acceptsBackward} takes. */
    public static void backward(float[] dx, float[] dy, PoolWindows win) {
        avgBackward2x2(dx, dy, win.planes(), win.h().in(), win.w().in(), win.h().out(), win.w().out());
    }

    private static void forward2d(float[] y, int[] argmax, float[] x, int planes, Axis ah, Axis aw,
                                  boolean max, boolean countIncludePad) {
        int inH = ah.in();
        int inW = aw.in();
        int outH = ah.out();
        int outW = aw.out();
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        int kernel = aw.kernel();
        int stride = aw.stride();
        int pad = aw.padding();
        int first = interiorStart(aw);
        int last = interiorEnd(aw);
        int[] map = new int[L]; // lane j reads column j·stride
        for (int j = 0; j < L; j++) {
            map[j] = j * stride;
        }
        LeftEdge edge = LeftEdge.of(aw, first, last, countIncludePad, map);
        Row row = new Row(x, inW, aw, ah, first, last, kernel, stride, pad, map, edge, countIncludePad);
        Parallel.forRange(planes, 2L * kernel * kernel * outPlane, nc -> {
            for (int oh = 0; oh < outH; oh++) {
                // NOTE: one method per pooling kind: a lambda holding both grows past what C2 inlines,
                // and a Vector API call left out of line boxes its vectors (3× slower)
                if (max) {
                    row.max(y, argmax, nc * inPlane, oh, nc * outPlane + oh * outW);
                } else {
                    row.mean(y, nc * inPlane, oh, nc * outPlane + oh * outW);
                }
            }
        });
    }

    /** One output row of {@link #forward2d}: its inputs, windows and vector layout. */
    private record Row(float[] x, int inW, Axis aw, Axis ah, int first, int last, int kernel, int stride, int pad,
                       int[] map, LeftEdge edge, boolean countIncludePad) {
        void max(float[] y, int[] argmax, int xBase, int oh, int o) {
            int h0 = ah.lo()[oh];
            int h1 = ah.hi()[oh];
            int outW = aw.out();
            int ow = 0;
            if (edge != null && edgeFits(xBase, h0, h1)) { // the windows cut by the left padding, in one vector
                ow = edge.max(y, argmax, x, xBase, inW, h0, h1, o);
            }
            for (; ow < first; ow++) {
                scalar(y, argmax, x, xBase, inW, h0, h1, aw, oh, ow, o + ow, ah, true, countIncludePad);
            }
            IntVector laneCols = IntVector.fromArray(SI, map, 0);
            for (; ow < last; ow += L) { // the last vector of a row is masked (NOTE: a scalar tail mispredicts)
                VectorMask<Float> m = S.indexInRange(ow, last);
                int col0 = ow * stride - pad;
                if (xBase + (h1 - 1) * inW + col0 + kernel - 1 + stride * (L - 1) >= x.length) {
                    break; // the very end of x: the rest by the scalar walk
                }
                FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                IntVector at = laneCols.add(xBase + h0 * inW + col0);
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
            }
            for (ow = Math.min(ow, last); ow < outW; ow++) {
                scalar(y, argmax, x, xBase, inW, h0, h1, aw, oh, ow, o + ow, ah, true, countIncludePad);
            }
        }

        void mean(float[] y, int xBase, int oh, int o) {
            int h0 = ah.lo()[oh];
            int h1 = ah.hi()[oh];
            int outW = aw.out();
            int hCount = countIncludePad ? ah.padded()[oh] : h1 - h0;
            int ow = 0;
            if (edge != null && edgeFits(xBase, h0, h1)) {
                ow = edge.mean(y, x, xBase, inW, h0, h1, o, hCount);
            }
            for (; ow < first; ow++) {
                scalar(y, null, x, xBase, inW, h0, h1, aw, oh, ow, o + ow, ah, false, countIncludePad);
            }
            for (; ow < last; ow += L) {
                VectorMask<Float> m = S.indexInRange(ow, last);
                int col0 = ow * stride - pad;
                if (xBase + (h1 - 1) * inW + col0 + kernel - 1 + stride * (L - 1) >= x.length) {
                    break;
                }
                FloatVector sum = FloatVector.zero(S);
                for (int h = h0; h < h1; h++) {
                    int row = xBase + h * inW + col0;
                    for (int kj = 0; kj < kernel; kj++) {
                        sum = sum.add(strided(x, row + kj, stride, map));
                    }
                }
                sum.div((float) (hCount * kernel)).intoArray(y, o + ow, m);
            }
            for (ow = Math.min(ow, last); ow < outW; ow++) {
                scalar(y, null, x, xBase, inW, h0, h1, aw, oh, ow, o + ow, ah, false, countIncludePad);
            }
        }

        /** Whether the left-edge vector's loads stay inside x (they start p columns left of the row). */
        private boolean edgeFits(int xBase, int h0, int h1) {
            return xBase + h0 * inW - pad >= 0 && xBase + (h1 - 1) * inW - pad + kernel - 1 + stride * (L - 1) < x.length;
        }
    }

    /**
     * The first L outputs of a row when the first of them are cut by the left padding: each
     * window tap is the usual strided load from column j·s − p + kj, which for the cut lanes lies
     * left of the row (in the row above); those lanes are masked out (max: never taken; mean: not
     * added). So the row's edge does not fall to the scalar walk, whose branches mispredict on
     * random data. The same visiting order and rules as the walk. Not for the first row of x
     * (nothing lies left of it): the caller checks {@code row − p ≥ 0}.
     */
    private record LeftEdge(int k, int stride, int pad, int lanes, int[] map, int[] firstCol, float[] widthCount) {
        /** Null when the cut windows are not just left-cut ones within the first vector. */
        static LeftEdge of(Axis aw, int first, int last, boolean countIncludePad, int[] map) {
            int k = aw.kernel();
            int stride = aw.stride();
            int pad = aw.padding();
            if (first == 0 || first >= L || last <= first) {
                return null;
            }
            for (int j = 0; j < first; j++) {
                if (aw.hi()[j] != j * stride - pad + k) {
                    return null; // also cut on the right: a row narrower than a window
                }
            }
            int lanes = Math.min(L, last);
            int[] firstCol = new int[L];
            float[] widthCount = new float[L];
            for (int j = 0; j < L; j++) {
                firstCol[j] = j < lanes ? aw.lo()[j] : 0;
                widthCount[j] = j < lanes ? (countIncludePad ? aw.padded()[j] : aw.hi()[j] - aw.lo()[j]) : 1;
            }
            return new LeftEdge(k, stride, pad, lanes, map, firstCol, widthCount);
        }

        int max(float[] y, int[] argmax, float[] x, int xBase, int inW, int h0, int h1, int o) {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            IntVector laneCols = IntVector.fromArray(SI, map, 0);
            FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            IntVector at = IntVector.fromArray(SI, firstCol, 0).add(xBase + h0 * inW);
            for (int h = h0; h < h1; h++) {
                int row = xBase + h * inW - pad;
                for (int kj = 0; kj < k; kj++) {
                    VectorMask<Float> ok = laneCols.compare(VectorOperators.GE, pad - kj).cast(S);
                    FloatVector v = strided(x, row + kj, stride, map);
                    VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN)).and(ok);
                    best = best.blend(v, take);
                    at = at.blend(laneCols.add(row + kj), take.cast(SI));
                }
            }
            best.intoArray(y, o, m);
            at.intoArray(argmax, o, m.cast(SI));
            return lanes;
        }

        int mean(float[] y, float[] x, int xBase, int inW, int h0, int h1, int o, int hCount) {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            IntVector laneCols = IntVector.fromArray(SI, map, 0);
            FloatVector sum = FloatVector.zero(S);
            for (int h = h0; h < h1; h++) {
                int row = xBase + h * inW - pad;
                for (int kj = 0; kj < k; kj++) {
                    sum = sum.blend(sum.add(strided(x, row + kj, stride, map)), laneCols.compare(VectorOperators.GE, pad - kj).cast(S));
                }
            }
            FloatVector count = FloatVector.fromArray(S, widthCount, 0).mul((float) hCount);
            sum.div(count).intoArray(y, o, m);
            return lanes;
        }
    }

    private static final jdk.incubator.vector.VectorShuffle<Float> DUP_LO = jdk.incubator.vector.VectorShuffle.fromOp(S, j -> j / 2);
    private static final jdk.incubator.vector.VectorShuffle<Float> DUP_HI = jdk.incubator.vector.VectorShuffle.fromOp(S, j -> L / 2 + j / 2);

    /**
     * Max or average pooling, 2×2 windows, stride 2, no padding ({@code Axis.isTiled(2)}): for L
     * outputs of a row, the 2L inputs of each of the two rows are two loads split into the even
     * and the odd columns (two shuffles), so every input is read once. Max visits the window in
     * row-major order with PoolKernels' rule (v &gt; best or v is NaN) and writes the winner's
     * flat index; mean adds in the same order from 0 (so −0 sums as the scalar loop's) and
     * divides by 4. A row's remainder (fewer than L outputs, or the very end of x) takes the
     * scalar walk. Bit for bit the scalar results.
     */
    private static void forward2x2(float[] y, int[] argmax, float[] x, int planes, Axis ah, Axis aw,
                                   boolean max, boolean countIncludePad) {
        int inH = ah.in();
        int inW = aw.in();
        int outH = ah.out();
        int outW = aw.out();
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        Parallel.forRange(planes, 6L * outPlane, nc -> {
            int xBase = nc * inPlane;
            for (int oh = 0; oh < outH; oh++) {
                int r0 = xBase + 2 * oh * inW;
                int o = nc * outPlane + oh * outW;
                // NOTE: one small method per row kind, so that C2 inlines every Vector API call
                int ow = max ? maxRow2x2(y, argmax, x, r0, inW, o, outW) : avgRow2x2(y, x, r0, inW, o, outW);
                for (; ow < outW; ow++) {
                    scalar(y, argmax, x, xBase, inW, 2 * oh, 2 * oh + 2, aw, oh, ow, o + ow, ah, max, countIncludePad);
                }
            }
        });
    }

    /** 0, 2, 4, …: the even columns. */
    private static final IntVector TWICE = IntVector.zero(SI).addIndex(2);

    /** x[off], x[off + 2], …, x[off + 2(L − 1)]: two loads and a shuffle keeping the even lanes. */
    private static FloatVector everyOther(float[] x, int off) {
        return FloatVector.fromArray(S, x, off).rearrange(EVEN, FloatVector.fromArray(S, x, off + L));
    }

    /** Max over the 2×2 windows of rows r0 and r0 + inW for outputs o … ; returns where it stopped. */
    private static int maxRow2x2(float[] y, int[] argmax, float[] x, int r0, int inW, int o, int outW) {
        int r1 = r0 + inW;
        IntVector twice = TWICE;
        int ow = 0;
        for (; ow < outW && r1 + 2 * ow + 2 * L + 1 <= x.length; ow += L) { // the row's last vector masked
            VectorMask<Float> m = S.indexInRange(ow, outW);
            int c = 2 * ow;
            // the window's first element starts as the winner (as −∞ then "v > −∞ or NaN" would pick it, or keep its index)
            FloatVector best = everyOther(x, r0 + c);
            IntVector at = twice.add(r0 + c);
            for (int off : new int[] {r0 + c + 1, r1 + c, r1 + c + 1}) { // the rest in row-major order
                FloatVector v = everyOther(x, off);
                VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, take);
                at = at.blend(twice.add(off), take.cast(SI));
            }
            best.intoArray(y, o + ow, m);
            at.intoArray(argmax, o + ow, m.cast(SI));
        }
        return Math.min(ow, outW);
    }

    /** Mean over the 2×2 windows of rows r0 and r0 + inW (added in row-major order from 0, ÷ 4). */
    private static int avgRow2x2(float[] y, float[] x, int r0, int inW, int o, int outW) {
        int r1 = r0 + inW;
        int ow = 0;
        for (; ow < outW && r1 + 2 * ow + 2 * L + 1 <= x.length; ow += L) { // the row's last vector masked
            VectorMask<Float> m = S.indexInRange(ow, outW);
            int c = 2 * ow;
            FloatVector.zero(S).add(everyOther(x, r0 + c)).add(everyOther(x, r0 + c + 1))
                    .add(everyOther(x, r1 + c)).add(everyOther(x, r1 + c + 1)).div(4f).intoArray(y, o + ow, m);
        }
        return Math.min(ow, outW);
    }

    /**
     * Average pooling backward for {@link #forward2x2}'s windows, overwriting dx: each input is
     * under at most one window, so dx is dy/4 below each window and 0 under none (the last row or
     * column of an odd size). L outputs of a row give 2L inputs of each of the two rows: dy/4
     * repeated in pairs by two shuffles. The same floats as PoolKernels.backward adding into
     * zeros. (Max pooling's backward stays the scalar loop: zeroing a plane in cache and storing
     * dy at the winners measured twice as fast as a vector gather that writes every dx.)
     */
    private static void avgBackward2x2(float[] dx, float[] dy, int planes, int inH, int inW, int outH, int outW) {
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        Parallel.forRange(planes, 4L * inPlane, nc -> {
            int xBase = nc * inPlane;
            for (int oh = 0; oh < outH; oh++) {
                avgBackRow2x2(dx, dy, xBase + 2 * oh * inW, inW, nc * outPlane + oh * outW, outW);
                for (int h = 2 * oh; h < 2 * oh + 2; h++) {
                    for (int w = 2 * outW; w < inW; w++) {
                        dx[xBase + h * inW + w] = 0f; // an odd width: the last column is under no window
                    }
                }
            }
            for (int i = xBase + 2 * outH * inW; i < xBase + inPlane; i++) {
                dx[i] = 0f; // an odd height: the last row is under no window
            }
        });
    }

    /** dx of the two input rows at {@code at} and {@code at + inW}: dy/4 under each window (mean). */
    private static void avgBackRow2x2(float[] dx, float[] dy, int at, int inW, int o, int outW) {
        int ow = 0;
        for (; ow + L <= outW; ow += L) {
            FloatVector g = FloatVector.fromArray(S, dy, o + ow).div(4f);
            FloatVector gLo = g.rearrange(DUP_LO);
            FloatVector gHi = g.rearrange(DUP_HI);
            for (int r = at + 2 * ow; r < at + 2 * ow + 2 * inW; r += inW) {
                gLo.intoArray(dx, r);
                gHi.intoArray(dx, r + L);
            }
        }
        if (ow < outW) { // the row's last vector, masked
            VectorMask<Float> lo = S.indexInRange(0, 2 * (outW - ow));
            VectorMask<Float> hi = S.indexInRange(L, 2 * (outW - ow));
            FloatVector g = FloatVector.fromArray(S, dy, o + ow, S.indexInRange(ow, outW)).div(4f);
            FloatVector gLo = g.rearrange(DUP_LO);
            FloatVector gHi = g.rearrange(DUP_HI);
            for (int r = at + 2 * ow; r < at + 2 * ow + 2 * inW; r += inW) {
                gLo.intoArray(dx, r, lo);
                gHi.intoArray(dx, r + L, hi);
            }
        }
    }

    /** One output by the scalar walk of PoolKernels.forward (T = 1). */
    private static void scalar(float[] y, int[] argmax, float[] x, int xBase, int inW, int h0, int h1,
                               Axis aw, int oh, int ow, int o, Axis ah, boolean max, boolean countIncludePad) {
        int w0 = aw.lo()[ow];
        int w1 = aw.hi()[ow];
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
            int count = countIncludePad ? ah.padded()[oh] * aw.padded()[ow] : (h1 - h0) * (w1 - w0);
            y[o] = acc / count;
        }
    }
}
