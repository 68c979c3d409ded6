package layerlab.backend.opencl;

import static layerlab.backend.opencl.ClLaunch.defs;

import layerlab.backend.Indices;
import layerlab.backend.PoolWindows;
import layerlab.tensor.Tensor;

/** pool.cl: max and average pooling, 2D and 3D, one program per window geometry. */
final class ClPool {
    private static final String F = "pool";
    private final ClLaunch cl;

    ClPool(ClLaunch cl) {
        this.cl = cl;
    }

    private static String defines(PoolWindows w, boolean max, boolean countIncludePad) {
        return defs("PLANES", w.planes(), "IT", w.in()[0], "IH", w.in()[1], "IW", w.in()[2],
                "OT", w.out()[0], "OH", w.out()[1], "OW", w.out()[2],
                "KT", w.kernel()[0], "KH", w.kernel()[1], "KW", w.kernel()[2],
                "ST", w.stride()[0], "SH", w.stride()[1], "SW", w.stride()[2],
                "PT", w.padding()[0], "PH", w.padding()[1], "PW", w.padding()[2],
                "MAX", max, "COUNT_INCLUDE_PAD", countIncludePad);
    }

    void forward(Tensor y, Indices argmax, Tensor x, PoolWindows w, boolean max, boolean countIncludePad) {
        cl.run1(F, defines(w, max, countIncludePad), "pool_forward", y.numel(),
                cl.buf(y), max ? cl.buf(argmax) : cl.buf(y), cl.buf(x));
    }

    void backward(Tensor dx, Tensor dy, Indices argmax, PoolWindows w, boolean max, boolean countIncludePad) {
        cl.run1(F, defines(w, max, countIncludePad), "pool_backward", dx.numel(),
                cl.buf(dx), cl.buf(dy), max ? cl.buf(argmax) : cl.buf(dy));
    }
}
