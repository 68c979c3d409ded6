// Max and average pooling over (T,H,W) windows; 2D pooling is T = 1. The same windows as
// layerlab.backend.cpu.PoolKernels: window o of a dimension starts at o·S − P, ends at
// min(start + K, in + P), and covers the input range [max(start, 0), min(end, in)).
// x, dx: (PLANES, IT, IH, IW); y, dy, argmax: (PLANES, OT, OH, OW).
// -D PLANES, IT, IH, IW, OT, OH, OW, KT, KH, KW, ST, SH, SW, PT, PH, PW, MAX (1 max / 0 mean),
//    COUNT_INCLUDE_PAD (mean's divisor counts the padding).

#define IN_PLANE (IT * IH * IW)
#define OUT_PLANE (OT * OH * OW)

// the divisor of a mean window: the padded size, or the number of input values under it
int window_count(int ot, int oh, int ow) {
    int t0 = ot * ST - PT, h0 = oh * SH - PH, w0 = ow * SW - PW;
    int t1 = min(t0 + KT, IT + PT), h1 = min(h0 + KH, IH + PH), w1 = min(w0 + KW, IW + PW);
#if COUNT_INCLUDE_PAD
    return (t1 - t0) * (h1 - h0) * (w1 - w0);
#else
    return (min(t1, IT) - max(t0, 0)) * (min(h1, IH) - max(h0, 0)) * (min(w1, IW) - max(w0, 0));
#endif
}

// one work item per output value. Max: padding is −∞, the first maximum in row-major window
// order wins, a NaN wins over numbers; argmax = the winner's flat index into x.
__kernel void pool_forward(__global float* y, __global int* argmax, __global const float* x) {
    long o = get_global_id(0);
    if (o >= (long) PLANES * OUT_PLANE) return;
    int ow = o % OW, oh = (o / OW) % OH, ot = (o / (OW * OH)) % OT;
    long nc = o / OUT_PLANE;
    int t0 = max(ot * ST - PT, 0), t1 = min(ot * ST - PT + KT, IT);
    int h0 = max(oh * SH - PH, 0), h1 = min(oh * SH - PH + KH, IH);
    int w0 = max(ow * SW - PW, 0), w1 = min(ow * SW - PW + KW, IW);
    long xBase = nc * IN_PLANE;
#if MAX
    float acc = -INFINITY;
    long best = xBase + ((long) t0 * IH + h0) * IW + w0;
#else
    float acc = 0.0f;
#endif
    for (int t = t0; t < t1; t++) {
        for (int h = h0; h < h1; h++) {
            long row = xBase + ((long) t * IH + h) * IW;
            for (int w = w0; w < w1; w++) {
                float v = x[row + w];
#if MAX
                if (v > acc || isnan(v)) { acc = v; best = row + w; }
#else
                acc += v;
#endif
            }
        }
    }
#if MAX
    y[o] = acc;
    argmax[o] = (int) best;
#else
    y[o] = acc / window_count(ot, oh, ow);
#endif
}

// the outputs whose windows contain input index i along one dimension: [lo, hi]
#define FIRST_OUT(i, K, S, P) max(0, ((i) + (P) - (K) + (S)) / (S))
#define LAST_OUT(i, S, P, OUT) min((OUT) - 1, ((i) + (P)) / (S))

// dx = Σ over the outputs whose windows contain the input value (a gather, in increasing output
// order as the CPU loop adds them). Max: dy[o] where argmax[o] is this value; mean: dy[o] / count.
__kernel void pool_backward(__global float* dx, __global const float* dy, __global const int* argmax) {
    long i = get_global_id(0);
    if (i >= (long) PLANES * IN_PLANE) return;
    int iw = i % IW, ih = (i / IW) % IH, it = (i / (IW * IH)) % IT;
    long nc = i / IN_PLANE;
    long oBase = nc * OUT_PLANE;
    float s = 0.0f;
    for (int ot = FIRST_OUT(it, KT, ST, PT); ot <= LAST_OUT(it, ST, PT, OT); ot++) {
        for (int oh = FIRST_OUT(ih, KH, SH, PH); oh <= LAST_OUT(ih, SH, PH, OH); oh++) {
            for (int ow = FIRST_OUT(iw, KW, SW, PW); ow <= LAST_OUT(iw, SW, PW, OW); ow++) {
                long o = oBase + ((long) ot * OH + oh) * OW + ow;
#if MAX
                if (argmax[o] == i) s += dy[o];
#else
                s += dy[o] / window_count(ot, oh, ow);
#endif
            }
        }
    }
    dx[i] = s;
}
