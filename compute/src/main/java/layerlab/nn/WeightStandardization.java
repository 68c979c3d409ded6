package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Weight standardization (lecture §11; Qiao et al. 2019): each output filter k of a convolution
 * weight W (K, M, p, q) is standardized over its inputs and positions,
 * <pre>
 *   μ_W^k = 1/(pqM) · Σ_m Σ_uv W_uv^mk      σ²_W^k = 1/(pqM) · Σ_m Σ_uv (W_uv^mk − μ_W^k)²
 *   Ŵ_uv^mk = (W_uv^mk − μ_W^k) / √(σ²_W^k + ε)
 * </pre>
 * It is a layer norm of the weight (one "sample" per filter, no affine), computed by the same
 * group-norm kernel. {@link Conv2d} applies it in forward when its config asks for it.
 *
 * <p>NOTE: this follows the slide (biased σ², ε = 1e-5 inside the root); the paper's reference
 * code divides by the unbiased standard deviation plus ε.
 *
 * <p>Backward: dW = (dŴ − mean(dŴ) − Ŵ·mean(dŴ·Ŵ)) / √(σ²_W + ε), means per filter.
 */
public final class WeightStandardization {
    public static final double EPS = 1e-5;

    private WeightStandardization() {}

    /** Ŵ for a weight (K, …) of rank 2 to 5, ε = 1e-5. */
    public static Tensor standardize(Tensor w) {
        return standardize(w, EPS);
    }

    public static Tensor standardize(Tensor w, double eps) {
        check(w, eps);
        int k = w.size(0);
        int d = w.numel() / k;
        Tensor out = w.zerosLike();
        Tensor stats = Tensor.zeros(w.device(), k); // (K): μ, σ², 1/σ — not kept
        Backends.of(w).groupNormForward(out, stats, stats.zerosLike(), stats.zerosLike(), w, null, null, k, 1, d, 1,
                (float) eps);
        return out;
    }

    /** dW from dŴ (the gradient with respect to the standardized weight), ε = 1e-5. */
    public static Tensor backward(Tensor w, Tensor dStandardized) {
        return backward(w, dStandardized, EPS);
    }

    public static Tensor backward(Tensor w, Tensor dStandardized, double eps) {
        check(w, eps);
        Layers.requireSameShape("WeightStandardization", "dŴ", w, dStandardized);
        int k = w.size(0);
        int d = w.numel() / k;
        Tensor mean = Tensor.zeros(w.device(), k); // (K): μ_W^k
        Tensor var = mean.zerosLike();             // (K): σ²_W^k
        Tensor rstd = mean.zerosLike();            // (K): 1/√(σ²_W^k + ε)
        Backends.of(w).groupNormForward(w.zerosLike(), mean, var, rstd, w, null, null, k, 1, d, 1, (float) eps);
        Tensor dw = w.zerosLike();
        Backends.of(w).groupNormBackward(dw, null, null, dStandardized, w, mean, rstd, null, k, 1, d, 1);
        return dw;
    }

    private static void check(Tensor w, double eps) {
        Layers.require("WeightStandardization", w.rank() >= 2,
                "expected a weight of rank 2 to 5 (K, …), got shape " + Shapes.str(w.shape()));
        Layers.require("WeightStandardization", eps > 0, "expected eps > 0, got " + eps);
    }
}
