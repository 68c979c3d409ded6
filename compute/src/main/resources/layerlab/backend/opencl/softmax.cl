// Softmax, log-softmax and cross entropy over one axis, as layerlab.backend.cpu.SoftmaxKernels:
// x seen as (OUTER, LEN, INNER); a row is LEN values INNER apart. With INNER = 1 (logits (B, N))
// each row is one work-group and max and sum are work-group reductions; otherwise (softmax over
// the channels of an image) one work item walks one row, neighbours reading neighbouring values.

#if INNER == 1
#define ROW_BEGIN  __local float part[WG]; long base = (long) get_group_id(0) * LEN; int t = get_local_id(0);
#define FOR_ROW(c) for (int c = t; c < LEN; c += WG)
#define AT(c) (base + (c))
#define ROW_SUM(v) wg_sum(v, part)
#define ROW_MAX(v) wg_max(v, part)
#else
#define ROW_BEGIN  long g = get_global_id(0); if (g >= (long) OUTER * INNER) return; \
                   long base = (g / INNER) * LEN * INNER + g % INNER;
#define FOR_ROW(c) for (int c = 0; c < LEN; c++)
#define AT(c) (base + (long) (c) * INNER)
#define ROW_SUM(v) (v)
#define ROW_MAX(v) (v)
#endif

// y = e^(x − m) / Σ e^(x − m), m = the row's maximum
__kernel void softmax_forward(__global float* y, __global const float* x) {
    ROW_BEGIN
    float m = -INFINITY;
    FOR_ROW(c) m = fmax(m, x[AT(c)]);
    m = ROW_MAX(m);
    float s = 0.0f;
    FOR_ROW(c) { float e = exp(x[AT(c)] - m); y[AT(c)] = e; s += e; }
    float inv = 1.0f / ROW_SUM(s);
    FOR_ROW(c) y[AT(c)] *= inv;
}

// dx = y·(dy − Σ dy·y)
__kernel void softmax_backward(__global float* dx, __global const float* dy, __global const float* y) {
    ROW_BEGIN
    float d = 0.0f;
    FOR_ROW(c) d += dy[AT(c)] * y[AT(c)];
    d = ROW_SUM(d);
    FOR_ROW(c) dx[AT(c)] = y[AT(c)] * (dy[AT(c)] - d);
}

// y = (x − m) − log Σ e^(x − m)
__kernel void log_softmax_forward(__global float* y, __global const float* x) {
    ROW_BEGIN
    float m = -INFINITY;
    FOR_ROW(c) m = fmax(m, x[AT(c)]);
    m = ROW_MAX(m);
    float s = 0.0f;
    FOR_ROW(c) s += exp(x[AT(c)] - m);
    float ls = log(ROW_SUM(s)); // (x − m) − log Σ: m + log Σ rounded first would cost ulp(m) at |x| ~ 1000
    FOR_ROW(c) y[AT(c)] = (x[AT(c)] - m) - ls;
}

// dx = dy − e^y·Σ dy
__kernel void log_softmax_backward(__global float* dx, __global const float* dy, __global const float* y) {
    ROW_BEGIN
    float total = 0.0f;
    FOR_ROW(c) total += dy[AT(c)];
    total = ROW_SUM(total);
    FOR_ROW(c) dx[AT(c)] = dy[AT(c)] - exp(y[AT(c)]) * total;
}

#if INNER == 1
// per-row cross entropy from logits: log Σ e^(z − m) − (z_label − m); one work-group per row
__kernel void cross_entropy_rows(__global float* loss, __global const float* logits, __global const int* labels) {
    ROW_BEGIN
    float m = -INFINITY;
    FOR_ROW(c) m = fmax(m, logits[AT(c)]);
    m = ROW_MAX(m);
    float s = 0.0f;
    FOR_ROW(c) s += exp(logits[AT(c)] - m);
    s = ROW_SUM(s);
    if (t == 0) loss[get_group_id(0)] = log(s) - (logits[AT(labels[get_group_id(0)])] - m);
}

// dz = (probs − onehot(label)) / OUTER
__kernel void cross_entropy_backward(__global float* dlogits, __global const float* probs, __global const int* labels) {
    long i = get_global_id(0);
    if (i >= (long) OUTER * LEN) return;
    int row = i / LEN, c = i % LEN;
    float scale = 1.0f / OUTER;
    dlogits[i] = probs[i] * scale - (c == labels[row] ? scale : 0.0f);
}
#endif
