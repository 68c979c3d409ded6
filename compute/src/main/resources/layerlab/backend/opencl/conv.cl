// 2D convolution (cross-correlation) by im2col + the tiled GEMM (linear.cl), and a direct kernel
// kept as the slow twin. Shapes: x (NB, C, H, W); w (O, C, KS, KS); y (NB, O, OH, OW).
// -D NB, C, H, W, O, KS, STRIDE, PAD, OH, OW.

#define P (OH * OW)
#define CKK (C * KS * KS)

// col[b][(ci·KS + ki)·KS + kj][oy·OW + ox] = x[b][ci][oy·STRIDE − PAD + ki][ox·STRIDE − PAD + kj], 0 outside
__kernel void im2col(__global float* col, __global const float* x) {
    long g = get_global_id(0);
    if (g >= (long) NB * CKK * P) return;
    int q = g % P;
    int r = (g / P) % CKK;
    int b = g / ((long) P * CKK);
    int ox = q % OW, oy = q / OW;
    int kj = r % KS, ki = (r / KS) % KS, ci = r / (KS * KS);
    int iy = oy * STRIDE - PAD + ki, ix = ox * STRIDE - PAD + kj;
    col[g] = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x[(((long) b * C + ci) * H + iy) * W + ix] : 0.0f;
}

// dx[b][ci][iy][ix] = Σ over the (ki, kj, oy, ox) that read it of dcol: a gather, so no atomics
__kernel void col2im(__global float* dx, __global const float* dcol) {
    long g = get_global_id(0);
    if (g >= (long) NB * C * H * W) return;
    int ix = g % W, iy = (g / W) % H, ci = (g / ((long) W * H)) % C;
    int b = g / ((long) W * H * C);
    float s = 0.0f;
    for (int ki = 0; ki < KS; ki++) {
        int ty = iy + PAD - ki;
        if (ty < 0 || ty % STRIDE != 0 || ty / STRIDE >= OH) continue;
        int oy = ty / STRIDE;
        for (int kj = 0; kj < KS; kj++) {
            int tx = ix + PAD - kj;
            if (tx < 0 || tx % STRIDE != 0 || tx / STRIDE >= OW) continue;
            int ox = tx / STRIDE;
            s += dcol[((long) b * CKK + (ci * KS + ki) * KS + kj) * P + oy * OW + ox];
        }
    }
    dx[g] = s;
}

// dbias[o] += Σ over the batch and the positions of dy[b][o][·]: one work-group (WG items) per channel
__kernel void channel_sum_accumulate(__global float* dbias, __global const float* dy) {
    __local float part[WG];
    int o = get_group_id(0);
    int t = get_local_id(0);
    float s = 0.0f;
    for (int j = t; j < NB * P; j += WG) {
        int b = j / P, q = j % P;
        s += dy[((long) b * O + o) * P + q];
    }
    part[t] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h) part[t] += part[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) dbias[o] += part[0];
}

// dw[i] += Σ_b part[b][i] over the NB images, in image order (part: (NB, O, CKK))
__kernel void sum_images_accumulate(__global float* dw, __global const float* part) {
    int i = get_global_id(0);
    if (i < O * CKK) {
        float s = 0.0f;
        for (int b = 0; b < NB; b++) s += part[(long) b * O * CKK + i];
        dw[i] += s;
    }
}

// The slow twin: one work item per output value, the whole C·KS·KS window in a loop
__kernel void conv2d_direct(__global float* y, __global const float* x, __global const float* w,
                            __global const float* bias, int hasBias) {
    long g = get_global_id(0);
    if (g >= (long) NB * O * P) return;
    int q = g % P, o = (g / P) % O;
    int b = g / ((long) P * O);
    int ox = q % OW, oy = q / OW;
    float s = 0.0f;
    for (int ci = 0; ci < C; ci++) {
        for (int ki = 0; ki < KS; ki++) {
            int iy = oy * STRIDE - PAD + ki;
            if (iy < 0 || iy >= H) continue;
            for (int kj = 0; kj < KS; kj++) {
                int ix = ox * STRIDE - PAD + kj;
                if (ix < 0 || ix >= W) continue;
                s += w[((o * C + ci) * KS + ki) * KS + kj] * x[(((long) b * C + ci) * H + iy) * W + ix];
            }
        }
    }
    y[g] = hasBias ? s + bias[o] : s;
}
