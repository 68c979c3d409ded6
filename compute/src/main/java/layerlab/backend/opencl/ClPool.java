package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.Indices;
import layerlab.backend.PoolMode;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Tensor;

/** pool.cl: max and average pooling, 2D and 3D, one program per window geometry. */
final class ClPool {
    private static final String F = "pool";
    private final ClLaunch cl;

    ClPool(ClLaunch cl) {
        this.cl = cl;
    }

    /** The geometry as defines: per axis T, H, W its input and output size, kernel, stride, padding. */
    static String defines(PoolWindows w) {
        PoolWindows.Axis t = w.t(), h = w.h(), x = w.w();
        return defs("PLANES", w.planes(), "IT", t.in(), "IH", h.in(), "IW", x.in(),
                "OT", t.out(), "OH", h.out(), "OW", x.out(),
                "KT", t.kernel(), "KH", h.kernel(), "KW", x.kernel(),
                "ST", t.stride(), "SH", h.stride(), "SW", x.stride(),
                "PT", t.padding(), "PH", h.padding(), "PW", x.padding(),
                "MAX", w.mode() == PoolMode.MAX, "COUNT_INCLUDE_PAD", w.mode() == PoolMode.AVG_INCLUDE_PAD);
    }

    void forward(Tensor y, Indices argmax, Tensor x, PoolWindows w) {
        boolean max = w.mode() == PoolMode.MAX;
        cl.run1(F, defines(w), "pool_forward", y.numel(), cl.buf(y), max ? cl.buf(argmax) : cl.buf(y), cl.buf(x));
    }

    void backward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w) {
        boolean max = w.mode() == PoolMode.MAX;
        cl.run1(F, defines(w), "pool_backward", dx.numel(), cl.buf(dx), cl.buf(dy), max ? cl.buf(argmax) : cl.buf(dy));
    }
}
