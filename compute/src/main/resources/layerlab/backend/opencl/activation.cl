// Elementwise activations, forward above backward. -D N: number of elements.

// ReLU: y = max(0, x); dx = dy where x > 0 (0 at the kink, as on the CPU)
__kernel void relu_forward(__global float* y, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

__kernel void relu_backward(__global float* dx, __global const float* dy, __global const float* x) {
    int i = get_global_id(0);
    if (i < N) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}
