// Shared by every kernel family (prepended to each program). Helpers are plain functions, not
// "inline": C99 inline semantics make some OpenCL compilers miss an external definition.

// layerlab.tensor.Rng, bit for bit: SplitMix64's finalizer over (seed, index), in ulong
// arithmetic (wrapping multiplication and logical shifts are what Java's long does).
ulong rng_bits(ulong seed, ulong index) {
    ulong z = seed * 0x9E3779B97F4A7C15UL + (index + 1UL) * 0xD1B54A32D192ED03UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

// Uniform in (0, 1]: 24 random bits + 1, times 2^-24 (exact in float, as in Java).
float rng_uniform(ulong seed, ulong index) {
    return (float) ((rng_bits(seed, index) >> 40) + 1UL) * 0x1.0p-24f;
}

#ifdef WG
// Work-group reductions over WG work items (a power of two): every item gets the result.
float wg_sum(float v, __local float* part) {
    int t = get_local_id(0);
    part[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h) part[t] += part[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = part[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

float wg_max(float v, __local float* part) {
    int t = get_local_id(0);
    part[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h) part[t] = fmax(part[t], part[t + h]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = part[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
#endif
