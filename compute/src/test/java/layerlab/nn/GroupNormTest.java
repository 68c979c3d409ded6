package layerlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import layerlab.backend.cpu.NormKernels64;
import layerlab.check.GradCheck;
import layerlab.oracle.Compare;
import layerlab.oracle.Torch;
import layerlab.tensor.Seed;
import layerlab.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * GroupNorm against two oracles (see {@link NormOracle}): libtorch's batch norm on the (1, N·G, rest)
 * view with libtorch's broadcast affine and autograd — DJL has no group_norm and no TorchScript
 * archive can be built here without Python torch — and the slide's formula in double precision.
 */
class GroupNormTest {
    static void setAffine(Tensor gamma, Tensor beta, long seed) {
        System.arraycopy(NormOracle.uniform(seed, gamma.numel(), 0.5, 1.5), 0, gamma.data(), 0, gamma.numel());
        System.arraycopy(NormOracle.uniform(seed + 1, beta.numel(), -0.5, 0.5), 0, beta.data(), 0, beta.numel());
    }

    /** Forward, backward, statistics: layerlab vs libtorch (y, dX, dγ, dβ) and vs the double formula (y, mean, var). */
    static void parity(String what, Layer layer, int groups, Tensor x, Tensor gamma, Tensor beta,
                       Supplier<Tensor> lastMean, Supplier<Tensor> lastVar, Tensor dGamma, Tensor dBeta) {
        Tensor dy = Tensor.randn(Seed.of(77), x.shape());
        Tensor y = layer.forward(x);
        Tensor dx = layer.backward(dy);
        int n = x.size(0);
        int c = x.size(1);
        int s = x.numel() / (n * c);
        try (Torch t = new Torch(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray tx = t.withGrad(x);
            NDArray tg = gamma == null ? null : t.withGrad(gamma);
            NDArray tb = beta == null ? null : t.withGrad(beta);
            NDArray ty = NormOracle.groupNorm(t, tx, groups, tg, tb, 1e-5);
            gc.backward(ty.mul(t.of(dy)).sum());
            Compare.assertClose(what + " y vs libtorch", Torch.tensor(ty), y, 1e-5);
            Compare.assertClose(what + " dX vs libtorch", Torch.grad(tx), dx, 1e-5);
            if (gamma != null) {
                Compare.assertClose(what + " dγ vs libtorch", Torch.grad(tg), dGamma, 1e-5);
                Compare.assertClose(what + " dβ vs libtorch", Torch.grad(tb), dBeta, 1e-5);
            }
        }
        double[] mean = new double[n * groups];
        double[] var = new double[n * groups];
        double[] yRef = NormOracle.groupNormFormula(NormOracle.toDouble(x), n, c, s, groups,
                gamma == null ? null : NormOracle.toDouble(gamma), beta == null ? null : NormOracle.toDouble(beta), 1e-5, mean, var);
        Compare.assertClose(what + " y vs formula (double)", Tensor.of(NormOracle.toFloat(yRef), x.shape()), y, 1e-5);
        Compare.assertClose(what + " mean (N,G) vs formula", Tensor.of(NormOracle.toFloat(mean), n, groups), lastMean.get(), 1e-6);
        Compare.assertClose(what + " var (N,G) vs formula", Tensor.of(NormOracle.toFloat(var), n, groups), lastVar.get(), 1e-6);
    }

    private static void run(String what, int groups, Tensor x, long seed) {
        GroupNorm gn = new GroupNorm(groups, x.size(1));
        setAffine(gn.gamma(), gn.beta(), seed);
        parity(what, gn, groups, x, gn.gamma(), gn.beta(), gn::lastMean, gn::lastVar,
                gn.parameters().get(0).grad(), gn.parameters().get(1).grad());
    }

    @Test
    void matchesLibtorchAndTheFormulaOnSeveralShapes() {
        for (int[] shape : new int[][] {{3, 6, 5, 7}, {4, 6}, {2, 6, 9}, {2, 6, 2, 3, 3}, {1, 6, 3, 5}}) {
            for (int groups : new int[] {1, 2, 3, 6}) {
                if (shape.length == 2 && groups >= 3) {
                    // NOTE: groups of 1 or 2 values are degenerate: x̂ is 0 or ±1 whatever x, so dX is
                    // ε-sized and both libraries return float round-off; nothing to compare
                    continue;
                }
                run("GN(G=" + groups + ") " + Arrays.toString(shape), groups, Tensor.randn(Seed.of(shape[0] * 10 + groups), shape), groups);
            }
            GroupNorm plain = new GroupNorm(new GroupNorm.Config(2, 6, 1e-5, false));
            parity("GN(G=2, affine=false) " + Arrays.toString(shape), plain, 2, Tensor.randn(Seed.of(shape[0]), shape),
                    null, null, plain::lastMean, plain::lastVar, null, null);
            assertEquals(0, plain.parameters().size());
        }
    }

    @Test
    void matchesLibtorchOnAShapeBigEnoughToRunInParallel() {
        run("GN(G=4) (8,16,16,16) parallel", 4, Tensor.randn(Seed.of(90), 8, 16, 16, 16), 4);
    }

    @Test
    void statisticsAreShapedNByG() {
        GroupNorm gn = new GroupNorm(3, 6);
        gn.forward(Tensor.randn(Seed.of(4), 5, 6, 2, 2));
        assertArrayEquals(new int[] {5, 3}, gn.lastMean().shape());
        assertArrayEquals(new int[] {5, 3}, gn.lastVar().shape());
    }

    // ---- float64 gradient check through NormKernels64 (shared by LayerNorm, InstanceNorm, WS) ----

    /** y = groupNorm(x) with (n, g, d, span); gamma, beta may be null. */
    static double[] forward64(double[] x, double[] gamma, double[] beta, int n, int g, int d, int span) {
        double[] y = new double[x.length];
        NormKernels64.groupNormForward(y, new double[n * g], new double[n * g], new double[n * g], x, gamma, beta, n, g, d, span, 1e-5);
        return y;
    }

    /** {dx, dgamma, dbeta}; dgamma, dbeta have {@code params} entries (0 without affine). */
    static double[][] backward64(double[] x, double[] dy, double[] gamma, int n, int g, int d, int span) {
        double[] mean = new double[n * g];
        double[] rstd = new double[n * g];
        NormKernels64.groupNormForward(new double[x.length], mean, new double[n * g], rstd, x, gamma, gamma, n, g, d, span, 1e-5);
        int params = gamma == null ? 0 : gamma.length;
        double[][] out = {new double[x.length], new double[params], new double[params]};
        NormKernels64.groupNormBackward(out[0], gamma == null ? null : out[1], gamma == null ? null : out[2],
                dy, x, mean, rstd, gamma, n, g, d, span);
        return out;
    }

    /** Checks dX, and dγ, dβ when params > 0; returns the worst relError. */
    static double gradCheck(String what, int n, int g, int d, int span, int params, long seed) {
        // NOTE: x must not come from the seed of the loss weights w: with w = x, L = Σ x·x̂ has an
        // ε-sized gradient without affine, and the check measures round-off only
        double[] x = NormOracle.toDouble(Tensor.randn(Seed.of(seed + 1000), n * g * d));
        double[] gamma = params == 0 ? null : NormOracle.toDouble(Tensor.of(NormOracle.uniform(seed + 1, params, -1.5, 1.5), params));
        double[] beta = params == 0 ? null : NormOracle.toDouble(Tensor.of(NormOracle.uniform(seed + 2, params, -0.5, 0.5), params));
        double worst = 0;
        GradCheck.Result rx = GradCheck.check64(x, in -> forward64(in, gamma, beta, n, g, d, span),
                (in, dy) -> backward64(in, dy, gamma, n, g, d, span)[0], seed);
        System.out.printf("%s gradcheck (float64) dX: %.2e%n", what, rx.relError());
        assertTrue(rx.passes(1e-6), what + " dX relError " + rx.relError());
        worst = Math.max(worst, rx.relError());
        if (params > 0) {
            GradCheck.Result rg = GradCheck.check64(gamma, gm -> forward64(x, gm, beta, n, g, d, span),
                    (gm, dy) -> backward64(x, dy, gm, n, g, d, span)[1], seed + 3);
            GradCheck.Result rb = GradCheck.check64(beta, bt -> forward64(x, gamma, bt, n, g, d, span),
                    (bt, dy) -> backward64(x, dy, gamma, n, g, d, span)[2], seed + 4);
            System.out.printf("%s gradcheck (float64) dγ: %.2e, dβ: %.2e%n", what, rg.relError(), rb.relError());
            assertTrue(rg.passes(1e-6), what + " dγ relError " + rg.relError());
            assertTrue(rb.passes(1e-6), what + " dβ relError " + rb.relError());
            worst = Math.max(worst, Math.max(rg.relError(), rb.relError()));
        }
        return worst;
    }

    @Test
    void gradientCheckInDoublePrecision() {
        // x (N=2, C=6, S=3) with G=3: d = 2 channels · 3 positions; γ per channel (span = 3)
        gradCheck("GroupNorm(3, 6)", 2, 3, 6, 3, 6, 41);
        gradCheck("GroupNorm(3, 6) affine=false", 2, 3, 6, 3, 0, 42);
    }

    // ---- errors ----

    @Test
    void groupsNotDividingChannelsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
        assertEquals("GroupNorm(groups=4, channels=6): expected groups to divide channels, got 6 % 4 = 2", e.getMessage());
        assertEquals("GroupNorm: expected groups > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0, 6)).getMessage());
    }

    @Test
    void shapeAndOrderErrors() {
        GroupNorm gn = new GroupNorm(2, 4);
        assertEquals("GroupNorm(groups=2, channels=4): expected 4 channels (axis 1), got 6 in shape [2, 6, 3, 3]",
                assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.ones(2, 6, 3, 3))).getMessage());
        assertEquals("GroupNorm(groups=2, channels=4): expected rank 2 to 5 (N,C,…), got shape [4]",
                assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.ones(4))).getMessage());
        assertEquals("GroupNorm(groups=2, channels=4): backward called before forward",
                assertThrows(IllegalStateException.class, () -> gn.backward(Tensor.ones(2, 4))).getMessage());
        gn.forward(Tensor.randn(Seed.of(1), 2, 4, 3));
        assertEquals("GroupNorm(groups=2, channels=4): expected dOut of shape [2, 4, 3], got shape [2, 4, 4]",
                assertThrows(IllegalArgumentException.class, () -> gn.backward(Tensor.ones(2, 4, 4))).getMessage());
        assertEquals("GroupNorm: expected channels > 0, got -2",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(1, -2)).getMessage());
        assertEquals("GroupNorm: expected eps > 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> new GroupNorm(new GroupNorm.Config(1, 2, -1, true))).getMessage());
    }
}
