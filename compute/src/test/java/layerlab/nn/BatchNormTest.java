package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.List;
import layerlab.backend.cpu.NormKernels64;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BatchNorm: the slide's remark and recursion, libtorch parity in both conventions, float64 gradient checks, errors. */
class BatchNormTest {
    private static BatchNorm withRandomAffine(BatchNorm bn, long seed) {
        int c = bn.config().channels();
        System.arraycopy(NormOracle.uniform(seed, c, 0.5, 1.5), 0, bn.gamma().data(), 0, c);
        System.arraycopy(NormOracle.uniform(seed + 1, c, -0.5, 0.5), 0, bn.beta().data(), 0, c);
        return bn;
    }

    @Test
    void learnsToDoNothingWithGammaSigmaAndBetaMu() {
        // lecture §9 remark: γ = √(σ²_B + ε), β = μ_B gives Y = X
        Tensor x = Tensor.randn(Seed.of(11), 6, 3, 5, 4);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = 2.5f * x.data()[i] + 1.5f; // mean and scale away from 0 and 1
        }
        BatchNorm bn = new BatchNorm(3);
        bn.forward(x);
        for (int c = 0; c < 3; c++) {
            bn.gamma().data()[c] = (float) Math.sqrt(bn.batchVar().data()[c] + 1e-5);
            bn.beta().data()[c] = bn.batchMean().data()[c];
        }
        Compare.assertClose("BN(γ=√(σ²_B+ε), β=μ_B) = X", x, bn.forward(x), 1e-6);
    }

    @Test
    void evalModeUsesRunningStatisticsAndChangesNothing() {
        BatchNorm bn = withRandomAffine(new BatchNorm(4), 5);
        for (int k = 0; k < 3; k++) {
            bn.forward(Tensor.randn(Seed.of(20 + k), 5, 4, 3, 3));
        }
        Tensor meanBefore = bn.runningMean().copy();
        Tensor varBefore = bn.runningVar().copy();
        Tensor batchMeanBefore = bn.batchMean().copy();
        bn.train(false);
        Tensor x = Tensor.randn(Seed.of(30), 2, 4, 5, 3);
        Tensor y = bn.forward(x);
        assertEquals(meanBefore, bn.runningMean(), "eval must not update the running mean");
        assertEquals(varBefore, bn.runningVar(), "eval must not update the running variance");
        assertEquals(batchMeanBefore, bn.batchMean(), "eval must not replace the batch statistics");
        float[] expected = new float[x.numel()];
        for (int i = 0; i < x.numel(); i++) {
            int c = (i / 15) % 4;
            expected[i] = (float) (bn.gamma().data()[c] * (x.data()[i] - (double) meanBefore.data()[c])
                    / Math.sqrt(varBefore.data()[c] + 1e-5) + bn.beta().data()[c]);
        }
        Compare.assertClose("BN eval = γ(X − μ_avg)/√(σ²_avg+ε) + β", Tensor.of(expected, x.shape()), y, 1e-6);
    }

    /** Batches of varying size and distribution for the running-statistics tests. */
    private static Tensor batch(int k) {
        Tensor x = Tensor.randn(Seed.of(100 + k), 2 + k % 3, 3, 2, 3); // M = N·H·W small, so M/(M−1) shows
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = x.data()[i] * (1 + k) + k;
        }
        return x;
    }

    @Test
    void runningStatisticsFollowTheLectureRecursionAndLibtorch() {
        int steps = 4;
        int c = 3;
        double alpha = 0.9;
        BatchNorm lecture = new BatchNorm(c);
        BatchNorm pytorch = new BatchNorm(c, Convention.PYTORCH);
        double[] mu = new double[c];                               // μ_avg,0 = 0
        double[] var = {1, 1, 1};                                  // σ²_avg,0 = 1
        double[] varUnbiased = {1, 1, 1};
        try (Torch t = new Torch()) {
            NDArray rm = t.of(Tensor.zeros(c));
            NDArray rv = t.of(Tensor.ones(c));
            for (int k = 0; k < steps; k++) {
                Tensor x = batch(k);
                lecture.forward(x);
                pytorch.forward(x);
                NormOracle.batchNorm(t.of(x), rm, rv, t.of(Tensor.ones(c)), t.of(Tensor.zeros(c)), true, 1 - alpha, 1e-5);
                int n = x.size(0);
                int s = x.numel() / (n * c);
                for (int ch = 0; ch < c; ch++) { // the slide's μ_B, σ²_B, written out
                    double sum = 0;
                    for (int b = 0; b < n; b++) {
                        for (int i = 0; i < s; i++) {
                            sum += x.data()[(b * c + ch) * s + i];
                        }
                    }
                    double muB = sum / (n * s);
                    double sq = 0;
                    for (int b = 0; b < n; b++) {
                        for (int i = 0; i < s; i++) {
                            sq += Math.pow(x.data()[(b * c + ch) * s + i] - muB, 2);
                        }
                    }
                    mu[ch] = alpha * mu[ch] + (1 - alpha) * muB;
                    var[ch] = alpha * var[ch] + (1 - alpha) * sq / (n * s);
                    varUnbiased[ch] = alpha * varUnbiased[ch] + (1 - alpha) * sq / (n * s - 1);
                }
            }
            Tensor recMean = Tensor.of(NormOracle.toFloat(mu), c);
            Compare.assertClose("lecture μ_avg vs recursion (k=4)", recMean, lecture.runningMean(), 1e-6);
            Compare.assertClose("lecture σ²_avg vs recursion, biased (k=4)", Tensor.of(NormOracle.toFloat(var), c), lecture.runningVar(), 1e-6);
            Compare.assertClose("pytorch running_mean vs recursion", recMean, pytorch.runningMean(), 1e-6);
            Compare.assertClose("pytorch running_var vs recursion, unbiased", Tensor.of(NormOracle.toFloat(varUnbiased), c), pytorch.runningVar(), 1e-6);
            Compare.assertClose("pytorch running_mean vs libtorch (k=4)", Torch.tensor(rm), pytorch.runningMean(), 1e-6);
            Compare.assertClose("pytorch running_var vs libtorch (k=4)", Torch.tensor(rv), pytorch.runningVar(), 1e-6);
        }
        // the conventions really differ: M/(M−1) on the variance term is visible
        for (int ch = 0; ch < c; ch++) {
            double rel = Math.abs(pytorch.runningVar().data()[ch] - lecture.runningVar().data()[ch]) / lecture.runningVar().data()[ch];
            System.out.printf("running var, channel %d: lecture %.6f, pytorch %.6f (rel diff %.2e)%n", ch,
                    lecture.runningVar().data()[ch], pytorch.runningVar().data()[ch], rel);
            assertTrue(rel > 1e-3, "biased and unbiased running variances should differ, rel " + rel);
        }
    }

    /** Runs one forward + backward in both libraries and compares y, dX, dγ, dβ (and the running stats in training). */
    private static void parity(String what, BatchNorm bn, Tensor x, boolean training) {
        int c = bn.config().channels();
        Tensor dy = Tensor.randn(Seed.of(99), x.shape());
        bn.train(training);
        for (Parameter p : bn.parameters()) {
            p.zeroGrad();
        }
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray rm = t.of(bn.runningMean());
            NDArray rv = t.of(bn.runningVar());
            NDArray tx = t.withGrad(x);
            NDArray tg = t.withGrad(bn.gamma());
            NDArray tb = t.withGrad(bn.beta());
            Tensor y = bn.forward(x);
            Tensor dx = bn.backward(dy);
            NDArray ty = NormOracle.batchNorm(tx, rm, rv, tg, tb, training, 1 - bn.config().alpha(), bn.config().eps());
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose(what + " y", Torch.tensor(ty), y, 1e-5);
            Compare.assertClose(what + " dX", Torch.grad(tx), dx, 1e-5);
            Compare.assertClose(what + " dγ", Torch.grad(tg), bn.parameters().get(0).grad(), 1e-5);
            Compare.assertClose(what + " dβ", Torch.grad(tb), bn.parameters().get(1).grad(), 1e-5);
            if (training && bn.config().convention() == Convention.PYTORCH) {
                Compare.assertClose(what + " running_var", Torch.tensor(rv), bn.runningVar(), 1e-5);
            }
        }
        assertEquals(c, bn.gamma().numel());
    }

    @Test
    void matchesLibtorchInTrainingOnRanks245() {
        for (Convention conv : Convention.values()) {
            parity("BN " + conv + " (5,3)", withRandomAffine(new BatchNorm(3, conv), 1), Tensor.randn(Seed.of(21), 5, 3), true);
            parity("BN " + conv + " (3,4,5,7)", withRandomAffine(new BatchNorm(4, conv), 2), Tensor.randn(Seed.of(22), 3, 4, 5, 7), true);
            parity("BN " + conv + " (2,3,3,4,5)", withRandomAffine(new BatchNorm(3, conv), 3), Tensor.randn(Seed.of(23), 2, 3, 3, 4, 5), true);
            parity("BN " + conv + " (1,2,1,3) one sample", withRandomAffine(new BatchNorm(2, conv), 4), Tensor.randn(Seed.of(24), 1, 2, 1, 3), true);
            // big enough for Parallel.forRange to fork (the loops above run inline)
            parity("BN " + conv + " (8,16,12,12) parallel", withRandomAffine(new BatchNorm(16, conv), 5), Tensor.randn(Seed.of(25), 8, 16, 12, 12), true);
        }
    }

    @Test
    void matchesLibtorchOnRankTwoAndSmallPlanes() {
        // the shapes CpuBackend sends to VecNormRows (vectors across the channels): an MLP's (N, C), 3×3 and 4×4 planes
        int[][] shapes = {{512, 1024}, {64, 1001}, {33, 7}, {9, 1}, {16, 3, 3, 3}, {5, 1000, 4, 4}, {7, 5, 1, 3}};
        long seed = 70;
        for (int[] shape : shapes) {
            Tensor x = LayerChecks.randn(seed, 2f, shape);
            for (int i = 0; i < x.numel(); i++) {
                x.data()[i] += 3f; // a mean away from 0
            }
            parity("BN rows " + java.util.Arrays.toString(shape), withRandomAffine(new BatchNorm(shape[1], Convention.PYTORCH), seed),
                    x, true);
            BatchNorm eval = withRandomAffine(new BatchNorm(shape[1], Convention.PYTORCH), seed + 1);
            eval.forward(x);
            parity("BN rows eval " + java.util.Arrays.toString(shape), eval, x, false);
            seed += 2;
        }
    }

    @Test
    void matchesLibtorchInEvalModeWithBatchSizeOne() {
        for (Convention conv : Convention.values()) {
            BatchNorm bn = withRandomAffine(new BatchNorm(3, conv), 6);
            for (int k = 0; k < 3; k++) {
                bn.forward(batch(k).reshape(-1, 3, 2, 3)); // varying batches: N·3·2·3 values each
            }
            parity("BN " + conv + " eval (1,3,5,5)", bn, Tensor.randn(Seed.of(25), 1, 3, 5, 5), false);
            parity("BN " + conv + " eval (1,3)", bn, Tensor.randn(Seed.of(26), 1, 3), false);
            parity("BN " + conv + " eval (1,3,2,3,3)", bn, Tensor.randn(Seed.of(27), 1, 3, 2, 3, 3), false);
        }
    }

    // ---- float64 gradient checks through NormKernels64 ----

    private static final int N = 3;
    private static final int C = 2;
    private static final int S = 5;

    private static double[] forward64(double[] x, double[] gamma, double[] beta, boolean training, double[] runMean, double[] runVar) {
        double[] mean = training ? new double[C] : runMean;
        double[] var = training ? new double[C] : runVar;
        if (training) {
            NormKernels64.batchNormStats(mean, var, x, N, C, S);
        }
        double[] rstd = new double[C];
        NormKernels64.rstd(rstd, var, C, 1e-5);
        double[] y = new double[x.length];
        NormKernels64.batchNormForward(y, x, mean, rstd, gamma, beta, N, C, S);
        return y;
    }

    /** Returns {dx, dgamma, dbeta}. */
    private static double[][] backward64(double[] x, double[] dy, double[] gamma, boolean training, double[] runMean, double[] runVar) {
        double[] mean = training ? new double[C] : runMean;
        double[] var = training ? new double[C] : runVar;
        if (training) {
            NormKernels64.batchNormStats(mean, var, x, N, C, S);
        }
        double[] rstd = new double[C];
        NormKernels64.rstd(rstd, var, C, 1e-5);
        double[][] d = {new double[x.length], new double[C], new double[C]};
        NormKernels64.batchNormBackward(d[0], d[1], d[2], dy, x, mean, rstd, gamma, N, C, S, training);
        return d;
    }

    @Test
    void gradientCheckInDoublePrecision() {
        double[] x = NormOracle.toDouble(Tensor.randn(Seed.of(31), N * C * S));
        double[] gamma = {0.7, -1.3};
        double[] beta = {0.2, 0.5};
        double[] rm = {0.1, -0.2};
        double[] rv = {0.8, 1.7};
        double worst = 0;
        for (boolean training : new boolean[] {true, false}) {
            List<GradCheck.Result> results = List.of(
                    GradCheck.check64(x, in -> forward64(in, gamma, beta, training, rm, rv),
                            (in, dy) -> backward64(in, dy, gamma, training, rm, rv)[0], 7),
                    GradCheck.check64(gamma, g -> forward64(x, g, beta, training, rm, rv),
                            (g, dy) -> backward64(x, dy, g, training, rm, rv)[1], 8),
                    GradCheck.check64(beta, b -> forward64(x, gamma, b, training, rm, rv),
                            (b, dy) -> backward64(x, dy, gamma, training, rm, rv)[2], 9));
            String[] names = {"dX", "dγ", "dβ"};
            for (int i = 0; i < 3; i++) {
                System.out.printf("BN gradcheck (float64, %s) %s: %.2e%n", training ? "train" : "eval", names[i], results.get(i).relError());
                assertTrue(results.get(i).passes(1e-6), names[i] + " relError " + results.get(i).relError());
                worst = Math.max(worst, results.get(i).relError());
            }
        }
        System.out.printf("BN gradcheck worst: %.2e%n", worst);
    }

    // ---- errors ----

    @Test
    void oneValuePerChannelInTrainingIsAnError() {
        BatchNorm bn = new BatchNorm(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(1, 3)));
        assertEquals("BatchNorm(channels=3, convention=LECTURE, alpha=0.9, eps=1.0E-5): expected more than 1 value per channel "
                + "when training, got input shape [1, 3] (use eval mode, train(false), for a single value)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(1, 3, 1, 1)));
        assertEquals(Tensor.ones(3), bn.runningVar(), "a refused batch must not touch the running statistics");
        bn.train(false);
        assertArrayEquals(new int[] {1, 3, 1, 1}, bn.forward(Tensor.ones(1, 3, 1, 1)).shape(), "eval mode accepts it");
    }

    @Test
    void channelMismatchNamesBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(3, Convention.PYTORCH).forward(Tensor.ones(2, 4, 5, 5)));
        assertEquals("BatchNorm(channels=3, convention=PYTORCH, alpha=0.9, eps=1.0E-5): expected 3 channels (axis 1), "
                + "got 4 in shape [2, 4, 5, 5]", e.getMessage());
    }

    @Test
    void rankConfigAndOrderErrors() {
        BatchNorm bn = new BatchNorm(3);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(2, 3, 4)));
        assertEquals(bn + ": expected rank 2 (N,C), 4 (N,C,H,W) or 5 (N,C,D,H,W), got shape [2, 3, 4]", rank.getMessage());
        IllegalStateException order = assertThrows(IllegalStateException.class, () -> bn.backward(Tensor.ones(2, 3)));
        assertEquals(bn + ": backward called before forward", order.getMessage());
        bn.forward(Tensor.randn(Seed.of(1), 2, 3));
        IllegalArgumentException dOut = assertThrows(IllegalArgumentException.class, () -> bn.backward(Tensor.ones(2, 4)));
        assertEquals(bn + ": expected dOut of shape [2, 3], got shape [2, 4]", dOut.getMessage());
        assertEquals("BatchNorm: expected channels > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(0)).getMessage());
        assertEquals("BatchNorm: expected alpha in [0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(new BatchNorm.Config(2, Convention.LECTURE, 1.5, 1e-5))).getMessage());
        assertEquals("BatchNorm: expected eps > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(new BatchNorm.Config(2, Convention.LECTURE, 0.9, 0))).getMessage());
        assertEquals("BatchNorm: expected a convention, got null", assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(new BatchNorm.Config(2, null, 0.9, 1e-5))).getMessage());
    }

    @Test
    void accessorsAndParameters() {
        BatchNorm bn = new BatchNorm(4);
        assertNull(bn.batchMean());
        assertNull(bn.batchVar());
        assertEquals(List.of("gamma", "beta", "running_mean", "running_var"),
                bn.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of(true, true, false, false), bn.parameters().stream().map(Parameter::trainable).toList());
        assertEquals(Tensor.zeros(4), bn.runningMean());
        assertEquals(Tensor.ones(4), bn.runningVar());
        assertArrayEquals(new int[] {2, 4, 3, 3}, bn.outputShape(new int[] {2, 4, 3, 3}));
        assertEquals(Tensor.ones(4), bn.runningVar(), "outputShape must not run a training step");
    }
}
