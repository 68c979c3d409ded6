package layerlab.backend.opencl;

import layerlab.tensor.Rng;
import layerlab.tensor.Tensor;

/** dropout.cl: the mask of Rng.uniform drawn on the device, applied, and the test-time scale. */
final class ClDropout {
    private static final String F = "dropout";
    private final ClLaunch cl;

    ClDropout(ClLaunch cl) {
        this.cl = cl;
    }

    /** mask[i] = 1 if Rng.uniform(stream, i) ≤ keep: u ≤ keep iff k + 1 ≤ threshold for the top 24 bits k. */
    void mask(Tensor mask, long stream, double keep) {
        cl.run1(F, "-DN=" + mask.numel(), "dropout_mask", mask.numel(), cl.buf(mask), stream, Rng.keepThreshold(keep));
    }

    /** y = x·scale where the draw keeps, else 0: the mask drawn where it is applied. */
    void apply(Tensor y, Tensor x, long stream, double keep, float scale) {
        cl.run1(F, "-DN=" + x.numel(), "dropout_draw_apply", x.numel(), cl.buf(y), cl.buf(x), stream,
                Rng.keepThreshold(keep), scale);
    }

    /** y = x·mask·scale (forward, and backward with dy for x). */
    void forward(Tensor y, Tensor x, Tensor mask, float scale) {
        cl.run1(F, "-DN=" + x.numel(), "dropout_apply", x.numel(), cl.buf(y), cl.buf(x), cl.buf(mask), scale);
    }

    void scale(Tensor y, Tensor x, float scale) {
        cl.run1(F, "-DN=" + x.numel(), "scale", x.numel(), cl.buf(y), cl.buf(x), scale);
    }
}
