// Tiled GEMM: C (M,N) = op(A) (M,K) · op(B) (K,N) [+ bias] [+ C], row-major, batched over
// dimension 2 of the NDRange (strides SA, SB, SC in elements; 0 = the operand is shared).
// -D M, N, K; TRANS_A (A stored (K,M)), TRANS_B (B stored (N,K)); ACCUMULATE (C += …);
// BIAS_COL (bias[j] added, Linear) or BIAS_ROW (bias[i] added, Conv2d); SA, SB, SC.
//
// Each work-group computes a TS×TS tile of C with 16×16 work items, each WPT×WPT values held in
// registers; A and B are staged through local memory TK values deep. The loads are arranged so
// that neighbouring work items read neighbouring addresses whatever the transposition.

#ifdef K
#define TS 64
#define TK 16
#define WPT 4
#define LX 16   // TS / WPT

#if TRANS_A
#define A_AT(i, p) a[(p) * M + (i)]
#else
#define A_AT(i, p) a[(i) * K + (p)]
#endif
#if TRANS_B
#define B_AT(p, j) b[(j) * K + (p)]
#else
#define B_AT(p, j) b[(p) * N + (j)]
#endif

__kernel __attribute__((reqd_work_group_size(LX, LX, 1)))
void gemm(__global float* c, __global const float* a, __global const float* b, __global const float* bias) {
    __local float As[TK][TS + 1];   // As[p][i]
    __local float Bs[TK][TS + 1];   // Bs[p][j]
    const int tx = get_local_id(0); // columns j
    const int ty = get_local_id(1); // rows i
    const int tid = ty * LX + tx;
    const int i0 = get_group_id(1) * TS;
    const int j0 = get_group_id(0) * TS;
    const long batch = get_global_id(2);
    a += batch * SA;
    b += batch * SB;
    c += batch * SC;

    float acc[WPT][WPT];
    for (int v = 0; v < WPT; v++)
        for (int w = 0; w < WPT; w++) acc[v][w] = 0.0f;

    for (int p0 = 0; p0 < K; p0 += TK) {
        for (int l = tid; l < TS * TK; l += LX * LX) {
#if TRANS_A
            int ii = l % TS, pp = l / TS;   // contiguous along i
#else
            int pp = l % TK, ii = l / TK;   // contiguous along p
#endif
            int gi = i0 + ii, gp = p0 + pp;
            As[pp][ii] = (gi < M && gp < K) ? A_AT(gi, gp) : 0.0f;
#if TRANS_B
            int pq = l % TK, jj = l / TK;   // contiguous along p
#else
            int jj = l % TS, pq = l / TS;   // contiguous along j
#endif
            int gj = j0 + jj, gq = p0 + pq;
            Bs[pq][jj] = (gj < N && gq < K) ? B_AT(gq, gj) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TK; p++) {
            float breg[WPT];
            for (int w = 0; w < WPT; w++) breg[w] = Bs[p][tx + w * LX];
            for (int v = 0; v < WPT; v++) {
                float av = As[p][ty + v * LX];
                for (int w = 0; w < WPT; w++) acc[v][w] = fma(av, breg[w], acc[v][w]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int v = 0; v < WPT; v++) {
        int i = i0 + ty + v * LX;
        for (int w = 0; w < WPT; w++) {
            int j = j0 + tx + w * LX;
            if (i < M && j < N) {
                float r = acc[v][w];
#if BIAS_COL
                r += bias[j];
#endif
#if BIAS_ROW
                r += bias[i];
#endif
#if ACCUMULATE
                r += c[(long) i * N + j];
#endif
                c[(long) i * N + j] = r;
            }
        }
    }
}

#else
// dbias[j] += Σ_i dy[i, j] over the M rows (Linear's bias gradient); one work item per column
__kernel void column_sum_accumulate(__global float* dbias, __global const float* dy) {
    int j = get_global_id(0);
    if (j < N) {
        float s = 0.0f;
        for (int i = 0; i < M; i++) s += dy[(long) i * N + j];
        dbias[j] += s;
    }
}
#endif
