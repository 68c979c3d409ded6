package layerlab.nn;

import layerlab.backend.Backends;
import layerlab.tensor.Device;
import layerlab.tensor.Rng;
import layerlab.tensor.Seeds;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Dropout (lecture §7; Srivastava et al. 2014): in training every neuron is switched off
 * (zeroed) with probability 1 − p, so <b>p is the keep probability</b>, as on the slide.
 * The expected training output is p·x + (1 − p)·0 = p·x, and the two scalings of the slide
 * restore the same expectation at test time:
 * <ul>
 *   <li>{@link Scaling#INVERTED} (default, what PyTorch does): training y = m·x / p, test y = x;</li>
 *   <li>{@link Scaling#CLASSIC}: training y = m·x, test y = p·x;</li>
 * </ul>
 * with m ∈ {0, 1} the mask. Backward: dX = m·dY·(the same scale), or dY·scale at test time.
 *
 * <p>The mask: training forward number c (from 0 since construction or {@link #withSeed})
 * keeps element i iff u ≤ p, with u = Rng.uniform(Rng.bits(seed, c), i) ∈ (0, 1] on a grid of
 * 2⁻²⁴; so P(keep) = floor(p·2²⁴)/2²⁴ (exactly p when p is a multiple of 2⁻²⁴, off by
 * less than 6e-8 otherwise) and p = 1 keeps everything. Each forward in training draws a new
 * mask (unless {@link #withMaskFrozen}); the sequence is reproducible from the seed, on any
 * thread count.
 *
 * <p>PyTorch: {@code nn.Dropout(p=q)} with q = 1 − p the <i>drop</i> probability — use
 * {@link #drop(double)} to write it PyTorch's way. Train/eval: {@link #train(boolean)}.
 */
public final class Dropout implements Layer {
    /** How the expectation p·x is kept equal between training and test (both from the slide). */
    public enum Scaling {
        /** Training divides the kept values by p; test is the identity. */
        INVERTED,
        /** Training only zeroes; test multiplies by p. */
        CLASSIC
    }

    /** What backward needs: the mask stream (training) or none (test time), the scale, the shape. */
    private record Saved(boolean training, long stream, float scale, int[] shape, Device device) {}

    private final double p; // keep probability
    private final String label; // "keep=p", or "drop=q" when created PyTorch's way
    private Scaling scaling = Scaling.INVERTED;
    private long seed = Seeds.next();
    private long calls; // forwards in training so far: selects the mask stream
    private boolean frozen; // reuse the current mask stream (gradient checks)
    private boolean training = true;
    private Saved saved;

    private Dropout(double p, String label) {
        this.p = p;
        this.label = label;
    }

    /** Keep each neuron with probability p ∈ (0, 1] (the lecture's p). */
    public static Dropout keep(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout(keep=" + p + "): expected keep probability p in (0, 1], got " + p);
        }
        return new Dropout(p, "keep=" + p);
    }

    /** Drop each neuron with probability q ∈ [0, 1) (PyTorch's p); the same as keep(1 − q). */
    public static Dropout drop(double q) {
        if (!(q >= 0 && q < 1)) {
            throw new IllegalArgumentException("Dropout(drop=" + q + "): expected drop probability q in [0, 1)"
                    + " (PyTorch's p; the keep probability is 1 − q), got " + q);
        }
        return new Dropout(1 - q, "drop=" + q);
    }

    /** Sets the scaling; returns this layer. */
    public Dropout withScaling(Scaling scaling) {
        this.scaling = java.util.Objects.requireNonNull(scaling, "scaling");
        return this;
    }

    /** Sets the mask seed and restarts the mask sequence; returns this layer. */
    public Dropout withSeed(long seed) {
        this.seed = seed;
        this.calls = 0;
        return this;
    }

    /**
     * While frozen, every training forward draws from the same stream, so inputs of one shape get
     * the same mask again: what a numerical gradient check of this layer needs
     * ({@code GradCheck.check}). Unfreezing moves on to a new mask.
     */
    public Dropout withMaskFrozen(boolean on) {
        if (frozen && !on) {
            calls++;
        }
        this.frozen = on;
        return this;
    }

    @Override
    public void train(boolean on) {
        training = on;
    }

    public boolean training() {
        return training;
    }

    public double keepProbability() {
        return p;
    }

    public Scaling scaling() {
        return scaling;
    }

    public long seed() {
        return seed;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.emptyLike();
        if (!training) {
            float scale = scaling == Scaling.CLASSIC ? (float) p : 1f;
            Backends.of(x).scale(y, x, scale);
            saved = new Saved(false, 0, scale, x.shape(), x.device());
            return y;
        }
        // neuron i is kept if Rng.uniform(stream, i) ≤ p: the same mask on every device. The mask
        // is drawn where it is applied and drawn again in backward (counter-based numbers need no
        // state), so no mask tensor is written or read; lastMask() draws it for the display.
        long stream = Rng.bits(seed, calls);
        if (!frozen) {
            calls++;
        }
        float scale = scaling == Scaling.INVERTED ? (float) (1.0 / p) : 1f;
        Backends.of(x).dropoutApply(y, x, stream, p, scale); // y = x · mask · scale
        saved = new Saved(true, stream, scale, x.shape(), x.device());
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved s = Layers.saved(this, saved);
        if (!java.util.Arrays.equals(s.shape(), dOut.shape())) {
            throw new IllegalArgumentException(this + ": expected dOut of shape " + Shapes.str(s.shape())
                    + ", got shape " + Shapes.str(dOut.shape()));
        }
        Tensor dx = dOut.emptyLike();
        if (!s.training()) {
            Backends.of(dOut).scale(dx, dOut, s.scale());
        } else {
            Backends.of(dOut).dropoutApply(dx, dOut, s.stream(), p, s.scale()); // dX = dY · mask · scale
        }
        return dx;
    }

    /**
     * The mask of the last forward (1 kept, 0 switched off), for the display; all ones after a
     * forward at test time (no neuron is switched off); null before the first forward.
     */
    public Tensor lastMask() {
        if (saved == null) {
            return null;
        }
        if (!saved.training()) {
            return Tensor.ones(saved.shape());
        }
        Tensor mask = Tensor.zeros(saved.device(), saved.shape());
        Backends.of(saved.device()).dropoutMask(mask, saved.stream(), p);
        return mask;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "Dropout(" + label + (scaling == Scaling.CLASSIC ? ", scaling=CLASSIC" : "") + ")";
    }
}
