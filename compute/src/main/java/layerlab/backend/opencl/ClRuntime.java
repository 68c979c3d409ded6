package layerlab.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One OpenCL device in use: its context, its in-order queue, the program cache and the
 * host↔device copies. Every call is serialized on this object (one queue, kernels whose
 * arguments are set before each launch).
 */
final class ClRuntime {
    /** One compiled program: which kernel family, with which defines, on which device. */
    record ProgramKey(String family, String defines, String device) {}

    /** How long a program took to build (for JitBench). */
    record BuildTime(ProgramKey key, double millis) {}

    /** Retired buffers beyond this many bytes are released at the next allocation (after a clFinish). */
    private static final long RETIRED_LIMIT = 256L << 20;

    final String platformName;
    final String deviceName;
    final String deviceType;
    final String deviceVersion;
    final long globalMemory;
    final int computeUnits;
    final int maxWorkGroup;
    final boolean fp64; // cl_khr_fp64: double arithmetic in kernels
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<ProgramKey, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>(); // family|defines|name
    private final List<BuildTime> builds = new ArrayList<>();
    final AtomicLong transfers = new AtomicLong();
    final AtomicLong liveBytes = new AtomicLong(); // allocated and not yet released
    // Buffers whose tensors are garbage (the Cleaner hands them over): released only on this
    // object's lock when the queue is idle, never while a queued kernel may still use them
    private final ConcurrentLinkedQueue<Retired> retired = new ConcurrentLinkedQueue<>();
    private final AtomicLong retiredBytes = new AtomicLong();

    private record Retired(cl_mem mem, long bytes) {}

    /** Called by the Cleaner (any thread) for a buffer no tensor refers to any more. */
    void retire(cl_mem mem, long bytes) {
        if (released) { // the queue was drained and is gone: nothing can still use the buffer
            clReleaseMemObject(mem);
            liveBytes.addAndGet(-bytes);
            return;
        }
        retired.add(new Retired(mem, bytes));
        retiredBytes.addAndGet(bytes);
    }

    /** Releases the retired buffers; waits for the queue first unless it is known to be idle. */
    private void releaseRetired(boolean queueIdle) {
        if (retired.isEmpty()) {
            return;
        }
        if (!queueIdle && !released) {
            clFinish(queue);
        }
        for (Retired r; (r = retired.poll()) != null; ) {
            clReleaseMemObject(r.mem());
            retiredBytes.addAndGet(-r.bytes());
            liveBytes.addAndGet(-r.bytes());
        }
    }
    private volatile boolean released;

    private ClRuntime(cl_platform_id platform, cl_device_id device) {
        this.device = device;
        this.platformName = platformString(platform, CL_PLATFORM_NAME);
        this.deviceName = deviceString(device, CL_DEVICE_NAME);
        this.deviceVersion = deviceString(device, CL_DEVICE_VERSION);
        this.deviceType = typeName(deviceLong(device, CL_DEVICE_TYPE));
        this.globalMemory = deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE);
        this.computeUnits = (int) deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS);
        this.maxWorkGroup = (int) Math.min(1024, deviceLong(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
        this.fp64 = deviceString(device, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, err);
        ClException.check(err[0], "clCreateContext");
        this.queue = createQueue(context, device, deviceVersion);
    }

    /** An in-order queue; OpenCL 1.x drivers only know the call that 2.0 deprecated. */
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id device, String version) {
        int[] err = new int[1];
        cl_command_queue q = version.startsWith("OpenCL 1.")
                ? clCreateCommandQueue(context, device, 0, err)
                : clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), err);
        ClException.check(err[0], "clCreateCommandQueue");
        return q;
    }

    /**
     * Opens the first device of the first platform whose name contains {@code platformFilter}
     * (case-insensitive; empty = any), preferring a GPU. Throws {@link ClException} when OpenCL
     * answers with an error (CL_PLATFORM_NOT_FOUND_KHR: an ICD loader without any driver) and
     * {@link LinkageError} when no OpenCL library can be loaded at all.
     */
    static ClRuntime open(String platformFilter) {
        int[] n = new int[1];
        ClException.check(clGetPlatformIDs(0, null, n), "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        ClException.check(clGetPlatformIDs(n[0], platforms, null), "clGetPlatformIDs");
        List<String> seen = new ArrayList<>();
        cl_platform_id bestPlatform = null;
        cl_device_id best = null;
        for (cl_platform_id p : platforms) {
            String name = platformString(p, CL_PLATFORM_NAME);
            seen.add(name);
            if (!name.toLowerCase(Locale.ROOT).contains(platformFilter.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (cl_device_id d : devices(p)) {
                boolean gpu = (deviceLong(d, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0;
                if (best == null || gpu && (deviceLong(best, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) == 0) {
                    best = d;
                    bestPlatform = p;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("no OpenCL device on a platform matching '" + platformFilter
                    + "' (platforms found: " + seen + ")");
        }
        return new ClRuntime(bestPlatform, best);
    }

    private static List<cl_device_id> devices(cl_platform_id p) {
        int[] n = new int[1];
        int status = clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
        if (status == CL_DEVICE_NOT_FOUND) {
            return List.of();
        }
        ClException.check(status, "clGetDeviceIDs");
        cl_device_id[] ds = new cl_device_id[n[0]];
        ClException.check(clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n[0], ds, null), "clGetDeviceIDs");
        return List.of(ds);
    }

    // ---- buffers ----------------------------------------------------------------------------

    /** A new uninitialized buffer of {@code count} 4-byte values (float or int). */
    synchronized ClBuffer alloc(int count) {
        checkAlive();
        int[] err = new int[1];
        long bytes = 4L * Math.max(1, count);
        // NOTE: device buffers are freed once their tensor is garbage; the Java heap does not feel
        // device memory, so collect when half of it is held by buffers
        if (liveBytes.get() + bytes > globalMemory / 2) {
            reclaim(0);
        }
        if (retiredBytes.get() > RETIRED_LIMIT || liveBytes.get() + bytes > globalMemory / 2) {
            releaseRetired(false);
        }
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
        for (int attempt = 1; attempt <= 3 && (err[0] == CL_MEM_OBJECT_ALLOCATION_FAILURE
                || err[0] == CL_OUT_OF_RESOURCES); attempt++) {
            reclaim(50L * attempt);
            releaseRetired(false);
            mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
        }
        ClException.check(err[0], "clCreateBuffer(" + bytes + " bytes, " + liveBytes.get() + " bytes live)");
        liveBytes.addAndGet(bytes);
        return new ClBuffer(this, mem, count);
    }

    /** Lets the garbage collector find unreachable device tensors, and the Cleaner release them. */
    private static void reclaim(long waitMillis) {
        System.gc();
        if (waitMillis > 0) {
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized void write(ClBuffer b, float[] src) {
        b.checkAlive();
        transfers.incrementAndGet();
        ClException.check(clEnqueueWriteBuffer(queue, b.mem, CL_TRUE, 0, 4L * src.length, Pointer.to(src), 0, null, null),
                "clEnqueueWriteBuffer");
    }

    synchronized void write(ClBuffer b, int[] src) {
        b.checkAlive();
        transfers.incrementAndGet();
        ClException.check(clEnqueueWriteBuffer(queue, b.mem, CL_TRUE, 0, 4L * src.length, Pointer.to(src), 0, null, null),
                "clEnqueueWriteBuffer");
    }

    synchronized void read(ClBuffer b, float[] dst) {
        b.checkAlive();
        transfers.incrementAndGet();
        ClException.check(clEnqueueReadBuffer(queue, b.mem, CL_TRUE, 0, 4L * dst.length, Pointer.to(dst), 0, null, null),
                "clEnqueueReadBuffer");
        releaseRetired(true); // a blocking read on an in-order queue: everything before it has finished
    }

    synchronized void read(ClBuffer b, int[] dst) {
        b.checkAlive();
        transfers.incrementAndGet();
        ClException.check(clEnqueueReadBuffer(queue, b.mem, CL_TRUE, 0, 4L * dst.length, Pointer.to(dst), 0, null, null),
                "clEnqueueReadBuffer");
        releaseRetired(true);
    }

    synchronized void fill(ClBuffer b, float value) {
        b.checkAlive();
        ClException.check(clEnqueueFillBuffer(queue, b.mem, Pointer.to(new float[] {value}), Sizeof.cl_float, 0,
                4L * b.count, 0, null, null), "clEnqueueFillBuffer");
    }

    synchronized void copy(ClBuffer dst, ClBuffer src) {
        src.checkAlive();
        dst.checkAlive();
        ClException.check(clEnqueueCopyBuffer(queue, src.mem, dst.mem, 0, 0, 4L * src.count, 0, null, null),
                "clEnqueueCopyBuffer");
    }

    /** Waits until every queued kernel has finished (benchmarks; reads wait by themselves). */
    synchronized void finish() {
        checkAlive();
        ClException.check(clFinish(queue), "clFinish");
        releaseRetired(true);
    }

    // ---- programs ---------------------------------------------------------------------------

    /** The kernel {@code name} of family {@code family} built with {@code defines}: compiled on first use, then cached. */
    synchronized cl_kernel kernel(String family, String defines, String name) {
        checkAlive();
        String id = family + '|' + defines + '|' + name;
        cl_kernel k = kernels.get(id);
        if (k == null) {
            int[] err = new int[1];
            k = clCreateKernel(program(family, defines), name, err);
            ClException.check(err[0], "clCreateKernel(" + name + ")");
            kernels.put(id, k);
        }
        return k;
    }

    synchronized cl_program program(String family, String defines) {
        ProgramKey key = new ProgramKey(family, defines, deviceName);
        cl_program p = programs.get(key);
        if (p != null) {
            return p;
        }
        long t0 = System.nanoTime();
        int[] err = new int[1];
        p = clCreateProgramWithSource(context, 1, new String[] {KernelSource.of(family)}, null, err);
        ClException.check(err[0], "clCreateProgramWithSource(" + family + ")");
        int status = clBuildProgram(p, 1, new cl_device_id[] {device}, defines, null, null);
        if (status != CL_SUCCESS) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new KernelBuildException(family, defines, deviceName, stringFor_errorCode(status), log);
        }
        builds.add(new BuildTime(key, (System.nanoTime() - t0) / 1e6));
        programs.put(key, p);
        return p;
    }

    /** Every program built so far with its build time, oldest first. */
    synchronized List<BuildTime> builds() {
        return List.copyOf(builds);
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) Math.max(1, size[0])];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    // ---- launches ---------------------------------------------------------------------------

    /**
     * Sets the arguments (ClBuffer, Integer, Float, Long, or {@link Local} for local memory) and
     * enqueues an NDRange; {@code local} may be null (the driver chooses).
     */
    synchronized void launch(cl_kernel k, long[] global, long[] local, Object... args) {
        checkAlive();
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int status;
            if (a instanceof ClBuffer b) {
                b.checkAlive();
                if (b.owner != this) {
                    // NOTE: PoCL tolerates a buffer of another context; NVIDIA answers CL_INVALID_MEM_OBJECT.
                    throw new IllegalArgumentException("OpenCL: argument " + i + " is a buffer of another OpenCL context"
                            + " (device " + b.owner.deviceName + "); move the tensor through this backend first");
                }
                status = clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem));
            } else if (a instanceof Integer v) {
                status = clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                status = clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof Double v) {
                status = clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
            } else if (a instanceof Long v) {
                status = clSetKernelArg(k, i, Sizeof.cl_long, Pointer.to(new long[] {v}));
            } else if (a instanceof Local l) {
                status = clSetKernelArg(k, i, l.bytes(), null);
            } else {
                throw new IllegalArgumentException("ClRuntime.launch: unsupported argument " + a);
            }
            ClException.check(status, "clSetKernelArg(" + i + ")");
        }
        ClException.check(clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel");
    }

    /** A __local buffer argument of the given size. */
    record Local(long bytes) {}

    // ---- life -------------------------------------------------------------------------------

    boolean released() {
        return released;
    }

    void checkAlive() {
        if (released) {
            throw new IllegalStateException("OpenCL device " + deviceName + " is gone: its context was released."
                    + " Tensors that lived on it lost their values; move results to Device.CPU before releasing");
        }
    }

    /** Releases kernels, programs, queue and context; tensors still on the device become unusable. */
    synchronized void release() {
        if (released) {
            return;
        }
        clFinish(queue);
        released = true;
        releaseRetired(true);
        kernels.values().forEach(org.jocl.CL::clReleaseKernel);
        programs.values().forEach(org.jocl.CL::clReleaseProgram);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    // ---- info -------------------------------------------------------------------------------

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        ClException.check(clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo");
        byte[] buf = new byte[(int) size[0]];
        ClException.check(clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null), "clGetPlatformInfo");
        return cString(buf);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        ClException.check(clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo");
        byte[] buf = new byte[(int) size[0]];
        ClException.check(clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null), "clGetDeviceInfo");
        return cString(buf);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        ClException.check(clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        ClException.check(clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    private static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return "gpu";
        }
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            return "cpu";
        }
        return "accelerator";
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    }
}
