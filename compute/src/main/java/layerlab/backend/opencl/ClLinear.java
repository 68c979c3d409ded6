package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.tensor.Tensor;

/** linear.cl: the tiled GEMM behind Linear (and Conv2d), and Linear's bias gradient. */
final class ClLinear {
    private static final String F = "linear";
    private static final int TS = 64; // the tile of C per work-group (linear.cl)
    private static final int LX = 16; // work items per tile side
    private final ClLaunch cl;

    ClLinear(ClLaunch cl) {
        this.cl = cl;
    }

    /** Which operand is transposed, whether C accumulates, where the bias goes. */
    record Gemm(int m, int n, int k, boolean transA, boolean transB, boolean accumulate, boolean biasCol,
                boolean biasRow, int batches, long strideA, long strideB, long strideC) {
        String defines() {
            return defs("M", m, "N", n, "K", k, "TRANS_A", transA, "TRANS_B", transB, "ACCUMULATE", accumulate,
                    "BIAS_COL", biasCol, "BIAS_ROW", biasRow, "SA", strideA + "L", "SB", strideB + "L", "SC", strideC + "L");
        }
    }

    /** C = op(A)·op(B) (+ bias) (+ C), batched: the buffers are offset per batch by the strides. */
    void gemm(Gemm g, ClBuffer c, ClBuffer a, ClBuffer b, ClBuffer bias) {
        ClRuntime r = cl.rt();
        long[] global = {(long) ceil(g.n(), TS) * LX, (long) ceil(g.m(), TS) * LX, g.batches()};
        r.launch(r.kernel(F, g.defines(), "gemm"), global, new long[] {LX, LX, 1}, c, a, b, bias == null ? c : bias);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    /** y (B,out) = x (B,in)·aᵀ + bias: C = A·Bᵀ with B = a stored (out, in). */
    void linearForward(Tensor y, Tensor x, Tensor a, Tensor bias, int batch, int in, int out) {
        gemm(new Gemm(batch, out, in, false, true, false, bias != null, false, 1, 0, 0, 0),
                cl.buf(y), cl.buf(x), cl.buf(a), bias == null ? null : cl.buf(bias));
    }

    /** dx = dy·a (overwritten); da += dyᵀ·x; dbias += Σ_rows dy. */
    void linearBackward(Tensor dx, Tensor da, Tensor dbias, Tensor dy, Tensor x, Tensor a, int batch, int in, int out) {
        gemm(new Gemm(batch, in, out, false, false, false, false, false, 1, 0, 0, 0),
                cl.buf(dx), cl.buf(dy), cl.buf(a), null);
        gemm(new Gemm(out, in, batch, true, false, true, false, false, 1, 0, 0, 0),
                cl.buf(da), cl.buf(dy), cl.buf(x), null);
        if (dbias != null) {
            cl.run1(F, defs("M", batch, "N", out), "column_sum_accumulate", out, cl.buf(dbias), cl.buf(dy));
        }
    }
}
