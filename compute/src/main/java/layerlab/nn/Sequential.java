package layerlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Layers applied one after another: y = f_L(… f_2(f_1(x))). PyTorch: {@code torch.nn.Sequential}.
 *
 * <p>Backward runs the chain rule in reverse: dX = f_1'ᵀ(… f_L'ᵀ(dOut)). Children are numbered
 * from 0 (as PyTorch names them); {@link #summary} lists them with output shapes and parameter
 * counts, and a {@link Trace} records each child's output.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private int[] outShape; // shape of the last forward's output, for checking dOut

    public Sequential(Layer... layers) {
        this(Arrays.asList(layers));
    }

    public Sequential(List<? extends Layer> layers) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new IllegalArgumentException("Sequential: expected a layer at index " + i + ", got null");
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** The children, in order (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    /** Child {@code i}. */
    public Layer get(int i) {
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException(this + ": expected an index in 0…" + (layers.size() - 1) + ", got " + i);
        }
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            x = Trace.child(i, layers.get(i), x);
        }
        outShape = x.shape();
        return x;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backward(dOut, true);
    }

    /**
     * The children's parameter gradients only: the first child that has parameters is the last
     * to run backward, and it is asked for its parameters only (no dL/dX of the input).
     */
    @Override
    public void backwardParameters(Tensor dOut) {
        backward(dOut, false);
    }

    private Tensor backward(Tensor dOut, boolean inputGradient) {
        int[] expected = Layers.saved(this, outShape);
        Layers.require(this, Arrays.equals(expected, dOut.shape()), "expected dOut of shape "
                + Shapes.str(expected) + ", got shape " + Shapes.str(dOut.shape()));
        int first = 0;
        while (!inputGradient && first < layers.size() - 1 && layers.get(first).parameters().isEmpty()) {
            first++; // nothing below it needs a gradient
        }
        Tensor d = dOut;
        for (int i = layers.size() - 1; i >= first; i--) {
            Layer layer = layers.get(i);
            if (i == first && !inputGradient) {
                layer.backwardParameters(d);
                return null;
            }
            Tensor next = layer.backward(d);
            if (d != dOut && ownsNothingOf(layer) && !next.sharesStorage(d)) {
                d.release(); // an inner gradient, consumed: the next empty() of its size reuses it
            }
            d = next;
        }
        return d;
    }

    /**
     * Whether the layer is one of layerlab's own, which never keep the dOut they are given. A
     * student's layer may keep it (to show it later), so its dOut is left to the collector.
     */
    private static boolean ownsNothingOf(Layer layer) {
        return layer.getClass().getPackageName().equals(Sequential.class.getPackageName());
    }

    /** Every child's parameters in order; a layer used twice contributes its parameters once. */
    @Override
    public List<Parameter> parameters() {
        return distinct(layers);
    }

    @Override
    public void train(boolean on) {
        for (Layer l : layers) {
            l.train(on);
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] s = inputShape.clone();
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    /** A table of the children: output shape and parameter counts for this input shape. */
    public Summary summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }

    @Override
    public String toString() {
        return "Sequential(" + layers.size() + (layers.size() == 1 ? " layer)" : " layers)");
    }

    /** Parameters of several layers, each Parameter object once (shared layers or weights). */
    static List<Parameter> distinct(List<Layer> children) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> all = new ArrayList<>();
        for (Layer l : children) {
            for (Parameter p : l.parameters()) {
                if (seen.add(p)) {
                    all.add(p);
                }
            }
        }
        return Collections.unmodifiableList(all);
    }
}
