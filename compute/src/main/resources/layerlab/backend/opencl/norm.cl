// Normalization, as layerlab.backend.cpu.NormKernels: batch norm (statistics per channel over
// the batch) and group norm (per sample and group; also LayerNorm, InstanceNorm and weight
// standardization). Statistics are work-group reductions: one group of WG items per channel or
// per (sample, group), two passes (mean, then Σ(x − mean)²) as on the CPU.

#ifdef S
// ---- batch norm: x (NB, C, S) -------------------------------------------------------------
#define COUNT ((long) NB * S)

// Statistics in two steps, so that a few channels still fill a GPU: each channel's COUNT values
// are cut into PARTS chunks, one work-group each computing the chunk's mean and Σ(x − mean)²
// (two passes, the second from cache); then one work item per channel merges its chunks with
// Chan's pairwise update. With PARTS = 1 this is the CPU's two-pass formula.
#define VALUES (NB * S)                          // COUNT as an int
#define CHUNK ((VALUES + PARTS - 1) / PARTS)
#define AT(j) ((long) ((j) / S * C + c) * S + (j) % S)   // j-th value (j = b·S + i) of channel c

__kernel void batch_norm_partial(__global float* partMean, __global float* partM2, __global const float* x) {
    __local float part[WG];
    int c = get_group_id(0) / PARTS, p = get_group_id(0) % PARTS, t = get_local_id(0);
    int j0 = p * CHUNK, j1 = min(j0 + CHUNK, VALUES);
    float s = 0.0f;
    for (int j = j0 + t; j < j1; j += WG) s += x[AT(j)];
    float mu = wg_sum(s, part) / max(j1 - j0, 1);
    float q = 0.0f;
    for (int j = j0 + t; j < j1; j += WG) { float d = x[AT(j)] - mu; q += d * d; }
    float m2 = wg_sum(q, part);
    if (t == 0) { partMean[get_group_id(0)] = mu; partM2[get_group_id(0)] = m2; }
}

// mean and biased variance of channel c from its chunks: n, μ, M2 merged chunk after chunk
__kernel void batch_norm_combine(__global float* mean, __global float* var, __global const float* partMean,
                                 __global const float* partM2) {
    int c = get_global_id(0);
    if (c >= C) return;
    float n = 0.0f, mu = 0.0f, m2 = 0.0f;
    for (int p = 0; p < PARTS && p * CHUNK < VALUES; p++) {
        float nb = (float) (min((p + 1) * CHUNK, VALUES) - p * CHUNK);
        float d = partMean[c * PARTS + p] - mu;
        float total = n + nb;
        mu += d * (nb / total);
        m2 += partM2[c * PARTS + p] + d * d * (n * nb / total);
        n = total;
    }
    mean[c] = mu;
    var[c] = m2 / COUNT;
}

__kernel void rstd(__global float* rstd, __global const float* var, float eps) {
    int c = get_global_id(0);
    if (c < C) rstd[c] = 1.0f / sqrt(var[c] + eps);
}

// y = γ·(x − mean)·rstd + β
__kernel void batch_norm_forward(__global float* y, __global const float* x, __global const float* mean,
                                 __global const float* rstd, __global const float* gamma, __global const float* beta) {
    long i = get_global_id(0);
    if (i >= (long) NB * C * S) return;
    int c = (i / S) % C;
    y[i] = (x[i] - mean[c]) * (gamma[c] * rstd[c]) + beta[c];
}

// Backward in three steps, chunked like the statistics: (1) per chunk Σ dy and Σ dy·x̂;
// (2) per channel the totals: dβ += Σ dy, dγ += Σ dy·x̂, and the two means dx needs;
// (3) per value dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)) (BATCH_STATISTICS) or γ·rstd·dy.
__kernel void batch_norm_backward_partial(__global float* partDy, __global float* partDyXhat,
                                          __global const float* dy, __global const float* x,
                                          __global const float* mean, __global const float* rstd) {
    __local float part[WG];
    int c = get_group_id(0) / PARTS, p = get_group_id(0) % PARTS, t = get_local_id(0);
    int j0 = p * CHUNK, j1 = min(j0 + CHUNK, VALUES);
    float mu = mean[c], r = rstd[c];
    float sdy = 0.0f, sdyx = 0.0f;
    for (int j = j0 + t; j < j1; j += WG) {
        long i = AT(j);
        sdy += dy[i];
        sdyx += dy[i] * ((x[i] - mu) * r);
    }
    sdy = wg_sum(sdy, part);
    sdyx = wg_sum(sdyx, part);
    if (t == 0) { partDy[get_group_id(0)] = sdy; partDyXhat[get_group_id(0)] = sdyx; }
}

// means: (C, 2) = mean(dy), mean(dy·x̂) per channel (0 with running statistics)
__kernel void batch_norm_backward_combine(__global float* dgamma, __global float* dbeta, __global float* means,
                                          __global const float* partDy, __global const float* partDyXhat) {
    int c = get_global_id(0);
    if (c >= C) return;
    float sumDy = 0.0f, sumDyXhat = 0.0f;
    for (int p = 0; p < PARTS; p++) {
        sumDy += partDy[c * PARTS + p];
        sumDyXhat += partDyXhat[c * PARTS + p];
    }
    dbeta[c] += sumDy;
    dgamma[c] += sumDyXhat;
    means[2 * c] = BATCH_STATISTICS ? sumDy / COUNT : 0.0f;
    means[2 * c + 1] = BATCH_STATISTICS ? sumDyXhat / COUNT : 0.0f;
}

__kernel void batch_norm_backward_dx(__global float* dx, __global const float* dy, __global const float* x,
                                     __global const float* mean, __global const float* rstd,
                                     __global const float* gamma, __global const float* means) {
    long i = get_global_id(0);
    if (i >= (long) NB * C * S) return;
    int c = (i / S) % C;
    float r = rstd[c];
#if BATCH_STATISTICS
    dx[i] = gamma[c] * r * (dy[i] - means[2 * c] - ((x[i] - mean[c]) * r) * means[2 * c + 1]);
#else
    dx[i] = gamma[c] * r * dy[i]; // fixed statistics: x does not enter (a NaN in x leaves dx finite)
#endif
}

// run ← keep·run + (1 − keep)·batch; the variance times varScale (1 biased, M/(M−1) unbiased)
__kernel void running_update(__global float* runMean, __global float* runVar, __global const float* mean,
                             __global const float* var, float keep, float varScale) {
    int c = get_global_id(0);
    if (c < C) {
        runMean[c] = keep * runMean[c] + (1.0f - keep) * mean[c];
        runVar[c] = keep * runVar[c] + (1.0f - keep) * (var[c] * varScale);
    }
}
#endif

#ifdef D
// ---- group norm: x (NB, G, D); mean, var, rstd: (NB, G); γ, β per SPAN elements (AFFINE) ----
#if AFFINE
#define GAMMA(p) gamma[p]
#else
#define GAMMA(p) 1.0f
#endif

__kernel void group_norm_forward(__global float* y, __global float* mean, __global float* var, __global float* rstd,
                                 __global const float* x, __global const float* gamma, __global const float* beta,
                                 float eps) {
    __local float part[WG];
    int ng = get_group_id(0), t = get_local_id(0);
    long off = (long) ng * D;
    float s = 0.0f;
    for (int i = t; i < D; i += WG) s += x[off + i];
    float mu = wg_sum(s, part) / D;
    float q = 0.0f;
    for (int i = t; i < D; i += WG) { float d = x[off + i] - mu; q += d * d; }
    float v = wg_sum(q, part) / D;
    float r = 1.0f / sqrt(v + eps);
    if (t == 0) { mean[ng] = mu; var[ng] = v; rstd[ng] = r; }
    int first = (ng % G) * D;
    for (int i = t; i < D; i += WG) {
        float xhat = (x[off + i] - mu) * r;
#if AFFINE
        int p = (first + i) / SPAN;
        y[off + i] = gamma[p] * xhat + beta[p];
#else
        y[off + i] = xhat;
#endif
    }
}

// dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) per (sample, group), dx̂ = γ·dy
__kernel void group_norm_backward_dx(__global float* dx, __global const float* dy, __global const float* x,
                                     __global const float* mean, __global const float* rstd,
                                     __global const float* gamma) {
    __local float part[WG];
    int ng = get_group_id(0), t = get_local_id(0);
    long off = (long) ng * D;
    int first = (ng % G) * D;
    float m = mean[ng], r = rstd[ng];
    float s1 = 0.0f, s2 = 0.0f;
    for (int i = t; i < D; i += WG) {
        float dxhat = GAMMA((first + i) / SPAN) * dy[off + i];
        s1 += dxhat;
        s2 += dxhat * ((x[off + i] - m) * r);
    }
    float meanDxhat = wg_sum(s1, part) / D;
    float meanDxhatXhat = wg_sum(s2, part) / D;
    for (int i = t; i < D; i += WG) {
        float dxhat = GAMMA((first + i) / SPAN) * dy[off + i];
        dx[off + i] = r * (dxhat - meanDxhat - ((x[off + i] - m) * r) * meanDxhatXhat);
    }
}

// dγ[p] += Σ dy·x̂, dβ[p] += Σ dy over the batch and the SPAN elements of parameter p
__kernel void group_norm_backward_params(__global float* dgamma, __global float* dbeta, __global const float* dy,
                                         __global const float* x, __global const float* mean,
                                         __global const float* rstd) {
    __local float part[WG];
    int p = get_group_id(0), t = get_local_id(0);
    int grp = p * SPAN / D;
    float s1 = 0.0f, s2 = 0.0f;
    for (int j = t; j < NB * SPAN; j += WG) {
        int b = j / SPAN, i = j % SPAN;
        long at = (long) b * G * D + (long) p * SPAN + i;
        float m = mean[b * G + grp], r = rstd[b * G + grp];
        s1 += dy[at];
        s2 += dy[at] * ((x[at] - m) * r);
    }
    float sumDy = wg_sum(s1, part);
    float sumDyXhat = wg_sum(s2, part);
    if (t == 0) { dbeta[p] += sumDy; dgamma[p] += sumDyXhat; }
}
#endif
