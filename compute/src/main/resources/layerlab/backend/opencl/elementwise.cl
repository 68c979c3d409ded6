// Helpers on flat buffers. -D N: number of elements (BLOCK: length of a copied block).

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

#ifdef BLOCK
// COUNT = N / BLOCK blocks: dst[dstStart + i·dstStride + j] = src[srcStart + i·srcStride + j] (Concat's channel slices)
__kernel void copy_blocks(__global float* dst, int dstStart, int dstStride,
                          __global const float* src, int srcStart, int srcStride) {
    int g = get_global_id(0);
    if (g < N) {
        int i = g / BLOCK, j = g % BLOCK;
        dst[dstStart + i * dstStride + j] = src[srcStart + i * srcStride + j];
    }
}
#endif
