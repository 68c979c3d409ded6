// Optimizer steps, as layerlab.backend.cpu.OptimKernels. -D N: number of values; REAL: double
// where the device has cl_khr_fp64 (Adam's arithmetic is double on the CPU), else float.
#pragma OPENCL FP_CONTRACT OFF

#if REAL_IS_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
#else
typedef float real;
#endif

// g = dp + wd·p; v ← μ·v + g; p ← p − lr·v
__kernel void sgd_step(__global float* p, __global const float* dp, __global float* v, float lr, float momentum,
                       float weightDecay) {
    int i = get_global_id(0);
    if (i < N) {
        float g = dp[i] + weightDecay * p[i];
        v[i] = momentum * v[i] + g;
        p[i] -= lr * v[i];
    }
}

// g = dp + wd·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − stepSize·m / (√v / √c₂ + ε)
__kernel void adam_step(__global float* p, __global const float* dp, __global float* m, __global float* v,
                        real beta1, real beta2, real stepSize, real sqrtCorrection2, real eps, real weightDecay) {
    int i = get_global_id(0);
    if (i < N) {
        real g = (real) dp[i] + weightDecay * (real) p[i];
        m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
        v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
        p[i] = (float) (p[i] - stepSize * m[i] / (sqrt((real) v[i]) / sqrtCorrection2 + eps));
    }
}
