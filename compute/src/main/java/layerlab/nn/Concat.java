package layerlab.nn;

import layerlab.backend.Backends;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

/**
 * Parallel branches concatenated along the channel axis 1 (Inception, lecture §5):
 * y = [B_1(x), B_2(x), …] with C_out = Σ C_i; every other dimension must agree.
 * PyTorch: {@code torch.cat([b(x) for b in branches], dim=1)}.
 *
 * <p>Backward: dOut is split back into the branches' channel slices; each branch returns its
 * dX and, since every branch saw the same x, the dX's add up.
 */
public final class Concat implements Layer {
    private final List<Layer> branches;
    private Saved saved;

    /** What backward needs: each branch's channel count and the shapes involved. */
    private record Saved(int[] channels, int[] inShape, int[] outShape) {}

    public Concat(Layer... branches) {
        if (branches.length == 0) {
            throw new IllegalArgumentException("Concat: expected at least one branch, got none");
        }
        for (int i = 0; i < branches.length; i++) {
            if (branches[i] == null) {
                throw new IllegalArgumentException("Concat: expected a layer as branch " + i + ", got null");
            }
        }
        this.branches = List.of(branches);
    }

    /** The branches, in concatenation order. */
    public List<Layer> branches() {
        return branches;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor[] outs = new Tensor[branches.size()];
        int[][] shapes = new int[outs.length][];
        for (int b = 0; b < outs.length; b++) {
            outs[b] = Trace.child(b, branches.get(b), x);
            shapes[b] = outs[b].shape();
        }
        int[] outShape = concatShape(shapes);
        int n = outShape[0];
        int inner = Shapes.product(outShape, 2, outShape.length); // elements per channel
        int[] channels = new int[outs.length];
        Tensor y = Tensor.zeros(x.device(), outShape); // (N, ΣC_b, …)
        int offset = 0; // channel offset of branch b in y
        for (int b = 0; b < outs.length; b++) {
            channels[b] = shapes[b][1];
            int block = channels[b] * inner;
            Backends.of(y).copyBlocks(y, offset * inner, outShape[1] * inner, outs[b], 0, block, block, n);
            offset += channels[b];
        }
        saved = new Saved(channels, x.shape(), outShape);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Saved s = Layers.saved(this, saved);
        Layers.require(this, Arrays.equals(s.outShape, dOut.shape()), "expected dOut of shape "
                + Shapes.str(s.outShape) + ", got shape " + Shapes.str(dOut.shape()));
        int n = s.outShape[0];
        int inner = Shapes.product(s.outShape, 2, s.outShape.length);
        Tensor dx = Tensor.zeros(dOut.device(), s.inShape); // Σ over branches of their dX
        int offset = 0;
        for (int b = 0; b < branches.size(); b++) {
            int[] shape = s.outShape.clone();
            shape[1] = s.channels[b];
            int block = s.channels[b] * inner;
            Tensor slice = Tensor.zeros(dOut.device(), shape); // dOut restricted to branch b's channels
            Backends.of(dOut).copyBlocks(slice, 0, block, dOut, offset * inner, s.outShape[1] * inner, block, n);
            Backends.of(dOut).axpy(dx, 1f, branches.get(b).backward(slice)); // dx += dX_b
            offset += s.channels[b];
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return Sequential.distinct(branches);
    }

    @Override
    public void train(boolean on) {
        for (Layer b : branches) {
            b.train(on);
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[][] shapes = new int[branches.size()][];
        for (int b = 0; b < shapes.length; b++) {
            shapes[b] = branches.get(b).outputShape(inputShape);
        }
        return concatShape(shapes);
    }

    /** The branches' shapes joined on axis 1, or a clear error if any other dimension differs. */
    private int[] concatShape(int[][] shapes) {
        int[] first = shapes[0];
        Layers.require(this, first.length >= 2, "expected branch outputs of rank >= 2 (N, C, …), got shape "
                + Shapes.str(first) + " from branch 0");
        int c = 0;
        for (int b = 0; b < shapes.length; b++) {
            int[] s = shapes[b];
            boolean same = s.length == first.length;
            for (int d = 0; same && d < s.length; d++) {
                same = d == 1 || s[d] == first[d];
            }
            Layers.require(this, same, "expected branch outputs that differ only in channels (axis 1), got shape "
                    + Shapes.str(first) + " from branch 0 and " + Shapes.str(s) + " from branch " + b);
            c += s[1];
        }
        int[] out = first.clone();
        out[1] = c;
        return out;
    }

    @Override
    public String toString() {
        return "Concat(" + branches.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }
}
