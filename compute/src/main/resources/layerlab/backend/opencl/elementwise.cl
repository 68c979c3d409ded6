// Helpers on flat buffers. -D N: number of elements.

// y += a * x (gradient accumulation, SGD)
__kernel void axpy(__global float* y, float a, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] += a * x[i];
}

// test and benchmark aid: the counter-based uniforms of layerlab.tensor.Rng
__kernel void rng_uniform_fill(__global float* y, ulong seed) {
    int i = get_global_id(0);
    if (i < N) y[i] = rng_uniform(seed, (ulong) i);
}
