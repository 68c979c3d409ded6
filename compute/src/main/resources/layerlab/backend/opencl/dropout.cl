// Dropout: the mask from the counter-based generator of layerlab.tensor.Rng (common.cl), so one
// seed gives one mask on every device; then y = x·mask·scale. -D N: number of elements.

// mask[i] = 1 if Rng.uniform(stream, i) ≤ p else 0. The uniform is (k + 1)·2^-24 with k the top
// 24 bits, so the test is k + 1 ≤ threshold with threshold = floor(p·2^24), exact in integers.
__kernel void dropout_mask(__global float* mask, ulong stream, ulong threshold) {
    int i = get_global_id(0);
    if (i < N) mask[i] = ((rng_bits(stream, (ulong) i) >> 40) + 1UL) <= threshold ? 1.0f : 0.0f;
}

// y = x·mask·scale (backward: dx = dy·mask·scale, the same kernel)
__kernel void dropout_apply(__global float* y, __global const float* x, __global const float* mask, float scale) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] * mask[i] * scale;
}

// y = x·(scale where the draw keeps i, else 0): the mask drawn where it is applied (forward, and
// again in backward with dy), never stored. The same test as dropout_mask; multiplying by the 0
// keeps a dropped NaN or ±∞ a NaN, as x·mask·scale does (and libtorch).
__kernel void dropout_draw_apply(__global float* y, __global const float* x, ulong stream, ulong threshold, float scale) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] * (((rng_bits(stream, (ulong) i) >> 40) + 1UL) <= threshold ? scale : 0.0f);
}

// y = x·scale (test time)
__kernel void scale(__global float* y, __global const float* x, float s) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] * s;
}
