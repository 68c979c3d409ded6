// Elementwise activations, forward above backward, in the argument order of
// layerlab.backend.cpu.ActivationKernels. -D N: number of elements; for PReLU and Maxout also
// -D CHANNELS, -D INNER (x seen as (outer, CHANNELS, INNER)) and -D K (Maxout's pieces).

// ReLU: y = max(0, x); dx = dy where x > 0 (0 at the kink, as on the CPU). The tests are x <= 0,
// so that NaN is not ≤ 0 and passes through, forward and backward, as in libtorch.
__kernel void relu_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] <= 0.0f ? 0.0f : x[i];
}

__kernel void relu_backward(__global float* dx, __global const float* dy, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) dx[i] = x[i] <= 0.0f ? 0.0f : dy[i];
}

// σ(x) without overflow: e^x ≤ 1 on the negative side
float sigmoid1(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
    float e = exp(x);
    return e / (1.0f + e);
}

// Sigmoid: y = σ(x); dx = dy·y·(1 − y)
__kernel void sigmoid_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = sigmoid1(x[i]);
}

__kernel void sigmoid_backward(__global float* dx, __global const float* dy, __global const float* y) {
    int i = get_global_id(0);
    if (i < N) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

// Tanh: y = tanh(x); dx = dy·(1 − y²)
__kernel void tanh_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = tanh(x[i]);
}

__kernel void tanh_backward(__global float* dx, __global const float* dy, __global const float* y) {
    int i = get_global_id(0);
    if (i < N) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

// Leaky ReLU: y = x if x > 0 else αx; dx = dy or α·dy
__kernel void leaky_relu_forward(__global float* y, __global const float* x, float alpha) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

__kernel void leaky_relu_backward(__global float* dx, __global const float* dy, __global const float* x, float alpha) {
    int i = get_global_id(0);
    if (i < N) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
}

// ELU: y = x if x > 0 else α(e^x − 1); dx = dy or dy·α·e^x (NaN takes the α side: NaN, as in libtorch)
__kernel void elu_forward(__global float* y, __global const float* x, float alpha) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] > 0.0f ? x[i] : alpha * expm1(x[i]);
}

__kernel void elu_backward(__global float* dx, __global const float* dy, __global const float* x, float alpha) {
    int i = get_global_id(0);
    if (i < N) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * alpha * exp(x[i]);
}

// GELU (exact): y = x·Φ(x), Φ(x) = ½·erfc(−x/√2); dx = dy·(Φ(x) + x·φ(x))
__kernel void gelu_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] * 0.5f * erfc(-x[i] * M_SQRT1_2_F);
}

__kernel void gelu_backward(__global float* dx, __global const float* dy, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) {
        float v = x[i];
        float pdf = 0.39894228040143267794f * exp(-0.5f * v * v);
        dx[i] = dy[i] * (0.5f * erfc(-v * M_SQRT1_2_F) + v * pdf);
    }
}

// SiLU: y = x·σ(x); dx = dy·σ(x)·(1 + x·(1 − σ(x)))
__kernel void silu_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] * sigmoid1(x[i]);
}

__kernel void silu_backward(__global float* dx, __global const float* dy, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) {
        float s = sigmoid1(x[i]);
        dx[i] = dy[i] * s * (1.0f + x[i] * (1.0f - s));
    }
}

#ifdef CHANNELS
// PReLU: α per channel (CHANNELS = 1: shared). x: (outer, CHANNELS, INNER)
__kernel void prelu_forward(__global float* y, __global const float* x, __global const float* alpha) {
    int i = get_global_id(0);
    if (i < N) {
        float a = alpha[(i / INNER) % CHANNELS];
        y[i] = x[i] > 0.0f ? x[i] : a * x[i];
    }
}

__kernel void prelu_backward_dx(__global float* dx, __global const float* dy, __global const float* x,
                                __global const float* alpha) {
    int i = get_global_id(0);
    if (i < N) {
        float a = alpha[(i / INNER) % CHANNELS];
        dx[i] = x[i] > 0.0f ? dy[i] : a * dy[i];
    }
}

// dα_c += Σ dy·x over the elements of channel c with x ≤ 0: one work-group (WG items) per channel
__kernel void prelu_backward_dalpha(__global float* dalpha, __global const float* dy, __global const float* x) {
    __local float part[WG];
    int c = get_group_id(0);
    int t = get_local_id(0);
    float sum = 0.0f;
    for (int j = t; j < N / CHANNELS; j += WG) {   // j enumerates (o, s) of this channel
        int i = ((j / INNER) * CHANNELS + c) * INNER + j % INNER;
        if (!(x[i] > 0.0f)) sum += dy[i] * x[i];
    }
    part[t] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h) part[t] += part[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) dalpha[c] += part[0];
}
#endif

#ifdef K
// Maxout: y[o, j, s] = max over the K pieces of x[o, j·K + p, s]; the first maximum wins a tie, a
// NaN wins over numbers (NaN propagates, as in pooling).
// y, piece: (outer, CHANNELS/K, INNER); N = number of elements of y
__kernel void maxout_forward(__global float* y, __global int* piece, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) {
        int og = i / INNER, s = i % INNER;
        int base = og * K * INNER + s;
        float best = x[base];
        int arg = 0;
        for (int p = 1; p < K; p++) {
            float v = x[base + p * INNER];
            if (v > best || isnan(v)) { best = v; arg = p; }
        }
        y[i] = best;
        piece[i] = arg;
    }
}

__kernel void maxout_backward(__global float* dx, __global const float* dy, __global const int* piece) {
    int i = get_global_id(0);
    if (i < N) {
        int og = i / INNER, s = i % INNER;
        int base = og * K * INNER + s;
        for (int p = 0; p < K; p++) dx[base + p * INNER] = p == piece[i] ? dy[i] : 0.0f;
    }
}
#endif
