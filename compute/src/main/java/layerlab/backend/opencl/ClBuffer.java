package layerlab.backend.opencl;

import java.lang.ref.Cleaner;
import layerlab.tensor.Device;
import layerlab.tensor.DeviceStorage;
import org.jocl.cl_mem;

/**
 * A device buffer of 4-byte values: a tensor's storage (floats) or an index buffer (ints,
 * e.g. max-pool's argmax). When nothing refers to it any more, a {@link Cleaner} hands it to its
 * runtime, which releases it once no queued kernel can still be using it.
 */
final class ClBuffer implements DeviceStorage {
    private static final Cleaner CLEANER = Cleaner.create();

    final ClRuntime owner;
    final cl_mem mem;
    final int count; // number of 4-byte values

    ClBuffer(ClRuntime owner, cl_mem mem, int count) {
        this.owner = owner;
        this.mem = mem;
        this.count = count;
        long bytes = 4L * Math.max(1, count);
        // NOTE: not released here — a kernel still queued may use it; the runtime releases it when idle
        CLEANER.register(this, () -> owner.retire(mem, bytes));
    }

    @Override
    public Device device() {
        return Device.OPENCL;
    }

    @Override
    public int length() {
        return count;
    }

    @Override
    public void checkAlive() {
        owner.checkAlive();
    }
}
