package layerlab.tensor;

import java.util.Arrays;

/**
 * A float32 tensor of rank 1 to 5, row-major: NCHW for images, NCDHW (N, C, D, H, W) for video.
 *
 * <p>Shape, storage and indexing only — no layer math and no rendering here. Layers read and
 * write the flat storage through {@link #data()}; the element at index (i0, …, ik) sits at
 * offset Σ i_d · stride_d with stride_d = Π_{e>d} shape_e.
 *
 * <p>Tensors are mutable through {@link #data()} only; every method here returns a new tensor
 * or a copy, except {@link #reshape} and {@link #flatten}, which share storage (as views do in
 * NumPy and PyTorch).
 *
 * <p>A tensor lives on one {@link Device}. On {@link Device#CPU} its storage is a float[]; on
 * another device it is a {@link DeviceStorage} handle and the values stay there until
 * {@link #to(Device) to(Device.CPU)} copies them back. Layers run where their input lives.
 *
 * <p>Memory: layers take their outputs from {@link #empty} (uninitialized, recycled arrays) and
 * the garbage collector frees what nobody holds. A loop that knows a tensor is dead can hand its
 * array back at once with {@link #release()}, as libtorch frees an output: the next
 * {@code empty} of that length reuses it without the JVM's zeroing (see {@link Buffers}).
 */
public final class Tensor {
    public static final int MAX_RANK = 5;

    private final int[] shape;
    private float[] data;                  // (numel) row-major, on the host; null on a device or once released
    private final DeviceStorage storage;   // (numel) row-major, on a device; null on the CPU
    private final Device device;

    private Tensor(float[] data, int[] shape, Device device) {
        this.shape = shape;
        this.data = data;
        this.storage = null;
        this.device = device;
    }

    private Tensor(DeviceStorage storage, int[] shape) {
        this.shape = shape;
        this.data = null;
        this.storage = storage;
        this.device = storage.device();
    }

    // ---- creation ---------------------------------------------------------------------------

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = checkShape(shape);
        Shapes.require(data.length == Shapes.numel(s),
                "Tensor.of: shape " + Shapes.str(s) + " needs " + Shapes.numel(s)
                        + " values, got " + data.length);
        return new Tensor(data, s, Device.CPU);
    }

    /** Wraps device storage (a backend's buffer, not copied) as a tensor of the given shape. */
    public static Tensor onDevice(DeviceStorage storage, int... shape) {
        int[] s = checkShape(shape);
        Shapes.require(storage.length() == Shapes.numel(s),
                "Tensor.onDevice: shape " + Shapes.str(s) + " needs " + Shapes.numel(s)
                        + " values, the storage holds " + storage.length());
        return new Tensor(storage, s);
    }

    /** A 2D tensor from rows, e.g. the slides' 4×4 grids: {@code Tensor.of2d(new float[][]{{1,3},{7,4}})}. */
    public static Tensor of2d(float[][] rows) {
        Shapes.require(rows.length > 0, "Tensor.of2d: expected at least one row, got none");
        int w = rows[0].length;
        float[] d = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            Shapes.require(rows[i].length == w, "Tensor.of2d: row " + i + " has " + rows[i].length
                    + " values, row 0 has " + w);
            System.arraycopy(rows[i], 0, d, i * w, w);
        }
        return of(d, rows.length, w);
    }

    /**
     * A tensor whose values are arbitrary (a recycled array, see {@link Buffers}): for a kernel
     * that writes every element. NaN everywhere in poison mode ({@code -Dlayerlab.poison=true}).
     */
    public static Tensor empty(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(Buffers.take(Shapes.numel(s)), s, Device.CPU);
    }

    /** {@link #empty(int...)} beside an input on any device (a device tensor starts zeroed). */
    public static Tensor empty(Device device, int... shape) {
        return device == Device.CPU ? empty(shape) : Memories.of(device).zeros(shape);
    }

    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[Shapes.numel(s)], s, Device.CPU);
    }

    /** A zero tensor on a device: where a layer puts its output, beside its input. */
    public static Tensor zeros(Device device, int... shape) {
        return device == Device.CPU ? zeros(shape) : Memories.of(device).zeros(shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** 0, 1, …, n−1 as a rank-1 tensor. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, … (exclusive end), as a rank-1 tensor. */
    public static Tensor arange(float start, float end, float step) {
        Shapes.require(step != 0 && Float.isFinite(step), "Tensor.arange: step must be finite and non-zero, got " + step);
        int n = (int) Math.ceil((end - start) / step);
        Shapes.require(n >= 1, "Tensor.arange: empty range [" + start + ", " + end + ") with step " + step);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return of(d, n);
    }

    /**
     * Standard normal values of the given shape, from the next of the notebook's default seeds
     * ({@code %seed N} restarts them): {@code Tensor.randn(2, 3)} is 2×3, as in NumPy and PyTorch.
     */
    public static Tensor randn(int... shape) {
        return randn(Seed.next(), shape);
    }

    /** Standard normal values drawn from an explicit seed; element i depends only on (seed, i) — see {@link Rng}. */
    public static Tensor randn(Seed seed, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = Rng.normal(seed.value(), i);
        }
        return t;
    }

    /** Uniform values in (0, 1] of the given shape, from the next of the notebook's default seeds. */
    public static Tensor rand(int... shape) {
        return rand(Seed.next(), shape);
    }

    /** Uniform values in (0, 1] drawn from an explicit seed; element i depends only on (seed, i). */
    public static Tensor rand(Seed seed, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = Rng.uniform(seed.value(), i);
        }
        return t;
    }

    /** A tensor of the same shape whose values are {@code data} (not copied). */
    public Tensor withData(float[] newData) {
        return of(newData, shape.clone());
    }

    /** A zero tensor of the same shape, on the same device. */
    public Tensor zerosLike() {
        return storage == null ? zeros(shape) : Memories.of(device).zeros(shape);
    }

    /** An {@link #empty} tensor of the same shape, on the same device: arbitrary values. */
    public Tensor emptyLike() {
        return storage == null ? empty(shape) : Memories.of(device).zeros(shape);
    }

    /** A deep copy, on the same device. */
    public Tensor copy() {
        return storage == null ? new Tensor(host().clone(), shape.clone(), device) : Memories.of(device).copy(this);
    }

    /**
     * Hands this tensor's host array back for reuse by {@link #empty}; the tensor is unusable
     * afterwards (any read names it as released). Release only what you own and no longer need:
     * a reshape sharing the array, or an array taken earlier with {@link #data()}, would see
     * another tensor's values. Does nothing for a device tensor or a tensor already released.
     */
    public void release() {
        if (storage == null && data != null) {
            float[] a = data;
            data = null;
            Buffers.give(a);
        }
    }

    /** Whether {@link #release()} was called on this tensor. */
    public boolean released() {
        return storage == null && data == null;
    }

    /** Whether the two tensors see the same values (one array, or one device buffer): a reshape does. */
    public boolean sharesStorage(Tensor other) {
        return storage != null ? storage == other.storage : data != null && data == other.data;
    }

    private float[] host() {
        if (data == null) {
            throw new IllegalStateException("Tensor" + Shapes.str(shape) + " was released (Tensor.release()):"
                    + " its array is reused by other tensors; keep the tensor instead of releasing it");
        }
        return data;
    }

    // ---- shape ------------------------------------------------------------------------------

    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code dim}; negative counts from the end. */
    public int size(int dim) {
        return shape[axis(dim)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return storage == null ? Shapes.numel(shape) : storage.length();
    }

    public Device device() {
        return device;
    }

    /** Normalizes a possibly negative axis, or throws naming the rank. */
    public int axis(int dim) {
        int a = dim < 0 ? dim + shape.length : dim;
        Shapes.require(a >= 0 && a < shape.length,
                "Tensor: axis " + dim + " is out of range for shape " + Shapes.str(shape));
        return a;
    }

    /** The same storage seen with another shape; one dimension may be −1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                Shapes.require(infer < 0, "Tensor.reshape: only one dimension may be -1, got " + Shapes.str(newShape));
                infer = i;
            } else {
                known *= s[i];
            }
        }
        int n = numel();
        if (infer >= 0 && known > 0 && n % known == 0) {
            s[infer] = (int) (n / known);
        }
        checkShape(s);
        Shapes.require(Shapes.numel(s) == n, "Tensor.reshape: cannot view shape "
                + Shapes.str(shape) + " (" + n + " values) as " + Shapes.str(newShape));
        return view(s);
    }

    /** Merges dimensions fromDim…last into one: (N,C,H,W).flatten(1) → (N, C·H·W). */
    public Tensor flatten(int fromDim) {
        int a = axis(fromDim);
        int[] s = Arrays.copyOf(shape, a + 1);
        s[a] = Shapes.product(shape, a, shape.length);
        return view(s);
    }

    private Tensor view(int[] s) {
        return storage == null ? new Tensor(host(), s, device) : new Tensor(storage, s);
    }

    // ---- elements ---------------------------------------------------------------------------

    /** The element at the given index (one coordinate per dimension). */
    public float get(int... index) {
        return data()[offset(index)];
    }

    /** Sets one element; returns this tensor. */
    public Tensor set(float value, int... index) {
        data()[offset(index)] = value;
        return this;
    }

    /** Flat offset of an index, checked. */
    public int offset(int... index) {
        Shapes.require(index.length == shape.length, "Tensor.get: expected " + shape.length
                + " indices for shape " + Shapes.str(shape) + ", got " + index.length);
        int off = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("Tensor.get: index " + Arrays.toString(index)
                        + " is out of bounds for shape " + Shapes.str(shape));
            }
            off = off * shape[d] + index[d];
        }
        return off;
    }

    /** A copy of the values in row-major order (read back from the device if it lives there). */
    public float[] toArray() {
        return storage == null ? host().clone() : to(Device.CPU).data;
    }

    /**
     * The backing storage, row-major, not copied: what the CPU kernels read and write.
     * Writing into it changes this tensor (and every reshape sharing it).
     * A tensor on another device has no host array: move it with {@code to(Device.CPU)} first.
     */
    public float[] data() {
        if (storage != null) {
            throw new IllegalStateException("Tensor.data(): this tensor " + Shapes.str(shape) + " lives on "
                    + device.label() + ", not in host memory; call to(Device.CPU) first to read it");
        }
        return host();
    }

    /** The device handle of a tensor that lives off the host (for backends); fails for a CPU tensor. */
    public DeviceStorage storage() {
        if (storage == null) {
            throw new IllegalStateException("Tensor.storage(): this tensor " + Shapes.str(shape)
                    + " lives on cpu; it has a host array, see data()");
        }
        storage.checkAlive();
        return storage;
    }

    /**
     * Moves (copies) the tensor to a device; returns this tensor if it is already there. Moving
     * is always explicit: layers never move their input. If the target's backend is unavailable
     * (no OpenCL on this machine), the tensor stays on the CPU and a notice says why, once.
     */
    public Tensor to(Device target) {
        if (target == device) {
            if (storage != null) {
                storage.checkAlive();
            }
            return this;
        }
        Device to = Memories.registry().usable(target);
        if (to == device) {
            return this;
        }
        Tensor host = storage == null ? this : Memories.of(device).download(this);
        return to == Device.CPU ? host : Memories.of(to).upload(host);
    }

    /** Same shape and values bit for bit (device tensors are read back to compare). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(hostValues(), t.hostValues());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(hostValues());
    }

    private float[] hostValues() {
        return storage == null ? host() : toArray();
    }

    /** "Tensor[2, 3] cpu [1.0, 2.0, …]" — short; renderers give the rich view. A device tensor is not read. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ').append(device.label());
        if (storage != null) {
            return sb.append(" (values on the device; to(Device.CPU) reads them)").toString();
        }
        if (data == null) {
            return sb.append(" (released)").toString();
        }
        int n = Math.min(data.length, 8);
        sb.append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > n ? ", …]" : "]").toString();
    }

    private static int[] checkShape(int[] shape) {
        Shapes.require(shape.length >= 1 && shape.length <= MAX_RANK,
                "Tensor: rank must be 1 to " + MAX_RANK + ", got shape " + Shapes.str(shape));
        Shapes.numel(shape);
        return shape.clone();
    }
}
