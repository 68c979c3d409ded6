package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.tensor.Tensor;

/** norm.cl: batch norm and group norm, statistics by work-group reductions. */
final class ClNorm {
    private static final String F = "norm";
    private final ClLaunch cl;
    private final OpenClBackend backend;
    volatile int forcedParts; // tests: chunks per channel (0: chosen for the device)

    ClNorm(ClLaunch cl, OpenClBackend backend) {
        this.cl = cl;
        this.backend = backend;
    }

    private String bn(int n, int c, int s, boolean batchStatistics) {
        return defs("NB", n, "C", c, "S", s, "WG", cl.wg(), "BATCH_STATISTICS", batchStatistics, "PARTS", parts(n, c, s));
    }

    /**
     * Chunks per channel for the statistics: enough work-groups for about 8 per compute unit, each
     * chunk at least 16 values per work item (a 2-core CPU device gets 1: one group per channel).
     */
    private int parts(int n, int c, int s) {
        if (forcedParts > 0) {
            return forcedParts;
        }
        long perChannel = (long) n * s;
        int wanted = (8 * cl.rt().computeUnits + c - 1) / c;
        return (int) Math.max(1, Math.min(wanted, perChannel / (16L * cl.wg())));
    }

    void batchNormStats(Tensor mean, Tensor var, Tensor x, int n, int c, int s) {
        int parts = parts(n, c, s);
        Tensor partMean = backend.empty(c * parts);
        Tensor partM2 = backend.empty(c * parts);
        String d = bn(n, c, s, true);
        cl.runGroups(F, d, "batch_norm_partial", c * parts, cl.buf(partMean), cl.buf(partM2), cl.buf(x));
        cl.run1(F, d, "batch_norm_combine", c, cl.buf(mean), cl.buf(var), cl.buf(partMean), cl.buf(partM2));
    }

    void rstd(Tensor rstd, Tensor var, int c, float eps) {
        cl.run1(F, bn(1, c, 1, true), "rstd", c, cl.buf(rstd), cl.buf(var), eps);
    }

    void batchNormForward(Tensor y, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta, int n, int c, int s) {
        cl.run1(F, bn(n, c, s, true), "batch_norm_forward", (long) n * c * s,
                cl.buf(y), cl.buf(x), cl.buf(mean), cl.buf(rstd), cl.buf(gamma), cl.buf(beta));
    }

    void batchNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd,
                           Tensor gamma, int n, int c, int s, boolean batchStatistics) {
        int parts = parts(n, c, s);
        String d = bn(n, c, s, batchStatistics);
        Tensor partDy = backend.empty(c * parts);
        Tensor partDyXhat = backend.empty(c * parts);
        Tensor means = backend.empty(c, 2); // (C, 2): mean(dy), mean(dy·x̂)
        cl.runGroups(F, d, "batch_norm_backward_partial", c * parts, cl.buf(partDy), cl.buf(partDyXhat), cl.buf(dy),
                cl.buf(x), cl.buf(mean), cl.buf(rstd));
        cl.run1(F, d, "batch_norm_backward_combine", c, cl.buf(dgamma), cl.buf(dbeta), cl.buf(means), cl.buf(partDy),
                cl.buf(partDyXhat));
        cl.run1(F, d, "batch_norm_backward_dx", (long) n * c * s, cl.buf(dx), cl.buf(dy), cl.buf(x), cl.buf(mean),
                cl.buf(rstd), cl.buf(gamma), cl.buf(means));
    }

    void runningUpdate(Tensor runMean, Tensor runVar, Tensor mean, Tensor var, int c, float keep, float varScale) {
        cl.run1(F, bn(1, c, 1, true), "running_update", c, cl.buf(runMean), cl.buf(runVar), cl.buf(mean),
                cl.buf(var), keep, varScale);
    }

    private String gn(int n, int g, int d, int span, boolean affine) {
        return defs("NB", n, "G", g, "D", d, "SPAN", span, "AFFINE", affine, "WG", cl.wg());
    }

    void groupNormForward(Tensor y, Tensor mean, Tensor var, Tensor rstd, Tensor x, Tensor gamma, Tensor beta,
                          int n, int g, int d, int span, float eps) {
        cl.runGroups(F, gn(n, g, d, span, gamma != null), "group_norm_forward", n * g, cl.buf(y), cl.buf(mean),
                cl.buf(var), cl.buf(rstd), cl.buf(x), cl.bufOr(gamma, x), cl.bufOr(beta, x), eps);
    }

    void groupNormBackward(Tensor dx, Tensor dgamma, Tensor dbeta, Tensor dy, Tensor x, Tensor mean, Tensor rstd,
                           Tensor gamma, int n, int g, int d, int span) {
        String defines = gn(n, g, d, span, gamma != null);
        cl.runGroups(F, defines, "group_norm_backward_dx", n * g, cl.buf(dx), cl.buf(dy), cl.buf(x), cl.buf(mean),
                cl.buf(rstd), cl.bufOr(gamma, x));
        if (gamma != null) {
            cl.runGroups(F, defines, "group_norm_backward_params", g * d / span, cl.buf(dgamma), cl.buf(dbeta),
                    cl.buf(dy), cl.buf(x), cl.buf(mean), cl.buf(rstd));
        }
    }
}
