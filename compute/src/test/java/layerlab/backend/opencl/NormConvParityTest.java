package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClTests.parity;

import layerlab.backend.ConvShape;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batch norm, group norm (LayerNorm, InstanceNorm, weight standardization) and Conv2d on OpenCL against the CPU. */
class NormConvParityTest {
    @Test
    void batchNormTrainingAndEval() {
        int[][] shapes = {{8, 5, 1}, {4, 3, 6 * 7}, {2, 3, 4 * 5 * 6}, {32, 16, 14 * 14}};
        for (int[] s : shapes) {
            int n = s[0], c = s[1], sp = s[2];
            Tensor x = Tensor.randn(Seed.of(1), n, c, sp);
            Tensor dy = Tensor.randn(Seed.of(2), n, c, sp);
            Tensor gamma = Tensor.rand(Seed.of(3), c);
            Tensor beta = Tensor.randn(Seed.of(4), c);
            for (boolean train : new boolean[] {true, false}) {
                parity("BatchNorm" + java.util.Arrays.toString(s) + (train ? " train" : " eval"), 2e-5, (b, on) -> {
                    Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
                    Tensor mean = on.apply(Tensor.zeros(c)), var = on.apply(Tensor.ones(c)), rstd = on.apply(Tensor.zeros(c));
                    Tensor rm = on.apply(Tensor.full(0.1f, c)), rv = on.apply(Tensor.full(2f, c));
                    Tensor dg = on.apply(Tensor.zeros(c)), db = on.apply(Tensor.full(1f, c));
                    if (train) {
                        b.batchNormStats(mean, var, xx, n, c, sp);
                        b.runningUpdate(rm, rv, mean, var, c, 0.9f, (float) (n * sp) / (n * sp - 1));
                    }
                    b.rstd(rstd, var, c, 1e-5f);
                    b.batchNormForward(y, xx, mean, rstd, on.apply(gamma), on.apply(beta), n, c, sp);
                    b.batchNormBackward(dx, dg, db, on.apply(dy), xx, mean, rstd, on.apply(gamma), n, c, sp, train);
                    return new Tensor[] {mean, var, rstd, rm, rv, y, dx, dg, db};
                });
            }
        }
    }

    @Test
    void batchNormStatisticsMergedFromChunks() {
        int n = 5, c = 3, sp = 7 * 9; // 315 values per channel: chunks of uneven size, the last one short
        Tensor x = Tensor.randn(Seed.of(31), n, c, sp);
        Tensor dy = Tensor.randn(Seed.of(32), n, c, sp);
        for (int parts : new int[] {1, 2, 7, 64, 400}) {
            ClTests.backend().statisticsParts(parts);
            try {
                parity("BatchNorm statistics and backward, " + parts + " chunks", 2e-6, (b, on) -> {
                    Tensor xx = on.apply(x), mean = on.apply(Tensor.zeros(c)), var = on.apply(Tensor.zeros(c));
                    Tensor rstd = mean.zerosLike(), dx = xx.zerosLike(), dg = mean.zerosLike(), db = mean.zerosLike();
                    b.batchNormStats(mean, var, xx, n, c, sp);
                    b.rstd(rstd, var, c, 1e-5f);
                    b.batchNormBackward(dx, dg, db, on.apply(dy), xx, mean, rstd, on.apply(Tensor.rand(Seed.of(33), c)), n, c, sp,
                            true);
                    return new Tensor[] {mean, var, dx, dg, db};
                });
            } finally {
                ClTests.backend().statisticsParts(0);
            }
        }
    }

    @Test
    void groupNormAsGroupLayerInstanceNormAndWeightStandardization() {
        // n, groups, d (elements per group), span (γ granularity), affine
        int[][] cases = {{2, 2, 3 * 5 * 5, 25, 1}, {3, 1, 4 * 6, 1, 1}, {2, 4, 7 * 7, 49, 1}, {8, 1, 3 * 3 * 3, 1, 0}};
        for (int[] k : cases) {
            int n = k[0], g = k[1], d = k[2], span = k[3];
            boolean affine = k[4] == 1;
            int params = g * d / span;
            Tensor x = Tensor.randn(Seed.of(5), n, g * d);
            Tensor dy = Tensor.randn(Seed.of(6), n, g * d);
            Tensor gamma = Tensor.rand(Seed.of(7), params);
            Tensor beta = Tensor.randn(Seed.of(8), params);
            parity("GroupNorm" + java.util.Arrays.toString(k), 2e-5, (b, on) -> {
                Tensor xx = on.apply(x), y = xx.zerosLike(), dx = xx.zerosLike();
                Tensor mean = on.apply(Tensor.zeros(n * g)), var = mean.zerosLike(), rstd = mean.zerosLike();
                Tensor ga = affine ? on.apply(gamma) : null, be = affine ? on.apply(beta) : null;
                Tensor dg = on.apply(Tensor.full(0.5f, params)), db = on.apply(Tensor.zeros(params));
                b.groupNormForward(y, mean, var, rstd, xx, ga, be, n, g, d, span, 1e-5f);
                b.groupNormBackward(dx, affine ? dg : null, affine ? db : null, on.apply(dy), xx, mean, rstd, ga,
                        n, g, d, span);
                return new Tensor[] {y, mean, var, rstd, dx, dg, db};
            });
        }
    }

    @Test
    void conv2dForwardAndBackwardByIm2colGemmAndDirect() {
        // n, c, h, w, o, k, stride, pad
        int[][] cases = {{2, 3, 8, 8, 4, 3, 1, 1}, {2, 3, 9, 7, 5, 3, 2, 1}, {1, 1, 5, 5, 2, 1, 1, 0}, {3, 4, 6, 6, 8, 5, 1, 2}};
        for (int[] k : cases) {
            int n = k[0], c = k[1], h = k[2], wd = k[3], o = k[4], ks = k[5], st = k[6], pad = k[7];
            int oh = (h + 2 * pad - ks) / st + 1, ow = (wd + 2 * pad - ks) / st + 1;
            Tensor x = Tensor.randn(Seed.of(1), n, c, h, wd);
            Tensor w = Tensor.randn(Seed.of(2), o, c, ks, ks);
            Tensor bias = Tensor.randn(Seed.of(3), o);
            Tensor dy = Tensor.randn(Seed.of(4), n, o, oh, ow);
            for (ClConv.Algorithm alg : ClConv.Algorithm.values()) {
                ClTests.backend().convAlgorithm(alg);
                parity("Conv2d" + java.util.Arrays.toString(k) + " " + alg, 3e-5, (b, on) -> {
                    Tensor xx = on.apply(x), ww = on.apply(w), y = on.apply(dy).zerosLike(), dx = xx.zerosLike();
                    Tensor dw = on.apply(Tensor.full(0.5f, o, c, ks, ks)), db = on.apply(Tensor.zeros(o));
                    ConvShape cs = new ConvShape(n, c, h, wd, o, ks, st, pad, oh, ow);
                    b.conv2dForward(y, xx, ww, on.apply(bias), cs);
                    b.conv2dBackward(dx, dw, db, on.apply(dy), xx, ww, cs);
                    return new Tensor[] {y, dx, dw, db};
                });
            }
            ClTests.backend().convAlgorithm(ClConv.Algorithm.IM2COL_GEMM);
        }
    }
}
