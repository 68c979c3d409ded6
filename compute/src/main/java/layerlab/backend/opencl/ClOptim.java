package layerlab.backend.opencl;

import layerlab.tensor.Tensor;

/** optim.cl: one SGD or Adam step per parameter element, in place. */
final class ClOptim {
    private static final String F = "optim";
    private final ClLaunch cl;

    ClOptim(ClLaunch cl) {
        this.cl = cl;
    }

    void sgdStep(Tensor p, Tensor dp, Tensor v, float lr, float momentum, float weightDecay) {
        cl.run1(F, "-DN=" + p.numel(), "sgd_step", p.numel(), cl.buf(p), cl.buf(dp), cl.buf(v), lr, momentum,
                weightDecay);
    }

    /** Adam in double where the device has it (cl_khr_fp64), else in float: the real arguments follow. */
    void adamStep(Tensor p, Tensor dp, Tensor m, Tensor v, double beta1, double beta2, double stepSize,
                  double sqrtCorrection2, double eps, double weightDecay) {
        boolean fp64 = cl.rt().fp64;
        Object[] real = {beta1, beta2, stepSize, sqrtCorrection2, eps, weightDecay};
        if (!fp64) {
            for (int i = 0; i < real.length; i++) {
                real[i] = (float) (double) (Double) real[i];
            }
        }
        Object[] args = new Object[4 + real.length];
        args[0] = cl.buf(p);
        args[1] = cl.buf(dp);
        args[2] = cl.buf(m);
        args[3] = cl.buf(v);
        System.arraycopy(real, 0, args, 4, real.length);
        cl.run1(F, "-DN=" + p.numel() + " -DREAL_IS_DOUBLE=" + (fp64 ? 1 : 0), "adam_step", p.numel(), args);
    }
}
