package layerlab.backend.opencl;

import static org.jocl.CL.*;

import java.util.Locale;
import org.jocl.*;

/**
 * The device's own limits, measured on the device (issue 16, first piece): a float4 copy kernel's
 * bandwidth, an FMA loop's FP32 peak and an empty kernel's launch latency. GpuBench's fractions
 * are meant to be taken of these, not of a data sheet. Sizes: the copy moves up to a quarter of
 * CL_DEVICE_MAX_MEM_ALLOC_SIZE (capped at 512 MB) per buffer; {@code --small} keeps everything
 * tiny so that PoCL on the build machine runs it end to end in seconds.
 */
public final class DeviceLimits {
    private DeviceLimits() {}

    private static final String SRC = """
            __kernel void copy4(__global const float4* a, __global float4* b) {
                size_t i = get_global_id(0); b[i] = a[i];
            }
            __kernel void fma_loop(__global float* out, int iters) {
                // 8 independent chains so that FMA latency is hidden; 16 FLOP per iteration
                float x = (float)get_global_id(0) * 1e-7f;
                float a0 = x, a1 = x + 1, a2 = x + 2, a3 = x + 3, a4 = x + 4, a5 = x + 5, a6 = x + 6, a7 = x + 7;
                for (int k = 0; k < iters; k++) {
                    a0 = fma(a0, 0.999f, 0.001f); a1 = fma(a1, 0.999f, 0.001f);
                    a2 = fma(a2, 0.999f, 0.001f); a3 = fma(a3, 0.999f, 0.001f);
                    a4 = fma(a4, 0.999f, 0.001f); a5 = fma(a5, 0.999f, 0.001f);
                    a6 = fma(a6, 0.999f, 0.001f); a7 = fma(a7, 0.999f, 0.001f);
                }
                out[get_global_id(0)] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
            }
            __kernel void empty(__global float* out) {}
            """;

    public static void main(String[] args) {
        boolean small = args.length > 0 && args[0].equals("--small");
        String filter = OpenClBackend.platformFilter();
        setExceptionsEnabled(true);
        cl_device_id dev = pick(filter);
        cl_context ctx = clCreateContext(null, 1, new cl_device_id[] {dev}, null, null, null);
        cl_command_queue q = clCreateCommandQueueWithProperties(ctx, dev, new cl_queue_properties(), null);
        cl_program p = clCreateProgramWithSource(ctx, 1, new String[] {SRC}, null, null);
        clBuildProgram(p, 0, null, null, null, null);
        System.out.println("device: " + ClRuntime.deviceString(dev, CL_DEVICE_NAME)
                + " (" + ClRuntime.deviceString(dev, CL_DRIVER_VERSION) + ")");
        long maxAlloc = ClRuntime.deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        long bytes = small ? 4L << 20 : Math.min(512L << 20, maxAlloc / 4) & ~15L;
        copy(ctx, q, p, bytes, small ? 5 : 20);
        if (!small) {
            copy(ctx, q, p, 48L << 20, 20); // about the lab's ReLU tensor (51 MB)
        }
        fma(ctx, q, p, small ? 1 << 12 : 1 << 20, small ? 256 : 4096, small ? 3 : 10);
        empty(ctx, q, p, small ? 50 : 1000);
        clReleaseProgram(p);
        clReleaseCommandQueue(q);
        clReleaseContext(ctx);
    }

    private static cl_device_id pick(String filter) {
        int[] n = new int[1];
        clGetPlatformIDs(0, null, n);
        cl_platform_id[] ps = new cl_platform_id[n[0]];
        clGetPlatformIDs(n[0], ps, null);
        for (cl_platform_id pl : ps) {
            if (ClRuntime.platformString(pl, CL_PLATFORM_NAME).toLowerCase(Locale.ROOT)
                    .contains(filter.toLowerCase(Locale.ROOT))) {
                cl_device_id[] d = new cl_device_id[1];
                clGetDeviceIDs(pl, CL_DEVICE_TYPE_ALL, 1, d, null);
                return d[0];
            }
        }
        throw new IllegalStateException("DeviceLimits: no OpenCL platform whose name contains '" + filter + "'");
    }

    /** Reads and writes {@code bytes} each launch: bandwidth = 2·bytes / time. */
    private static void copy(cl_context ctx, cl_command_queue q, cl_program p, long bytes, int reps) {
        cl_mem a = clCreateBuffer(ctx, CL_MEM_READ_WRITE, bytes, null, null);
        cl_mem b = clCreateBuffer(ctx, CL_MEM_READ_WRITE, bytes, null, null);
        clEnqueueFillBuffer(q, a, Pointer.to(new float[] {1f}), 4, 0, bytes, 0, null, null);
        cl_kernel k = clCreateKernel(p, "copy4", null);
        clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(a));
        clSetKernelArg(k, 1, Sizeof.cl_mem, Pointer.to(b));
        long[] global = {bytes / 16};
        double s = best(q, k, global, reps);
        System.out.printf(Locale.ROOT, "copy float4 %7.1f MB: %8.1f GB/s (best of %d launches)%n",
                bytes / 1e6, 2 * bytes / s / 1e9, reps);
        float[] last = new float[4]; // the copy must have copied: the last float4 of b is the fill value
        clEnqueueReadBuffer(q, b, CL_TRUE, bytes - 16, 16, Pointer.to(last), 0, null, null);
        for (float v : last) {
            if (v != 1f) {
                throw new IllegalStateException("DeviceLimits: copy4 wrote " + v + " where 1.0 was expected");
            }
        }
        clReleaseKernel(k);
        clReleaseMemObject(a);
        clReleaseMemObject(b);
    }

    private static void fma(cl_context ctx, cl_command_queue q, cl_program p, int items, int iters, int reps) {
        cl_mem out = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 4L * items, null, null);
        cl_kernel k = clCreateKernel(p, "fma_loop", null);
        clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(out));
        clSetKernelArg(k, 1, Sizeof.cl_int, Pointer.to(new int[] {iters}));
        double s = best(q, k, new long[] {items}, reps);
        System.out.printf(Locale.ROOT, "FMA loop %d items x %d iters: %8.1f GFLOP/s FP32 (best of %d)%n",
                items, iters, 16.0 * items * iters / s / 1e9, reps);
        clReleaseKernel(k);
        clReleaseMemObject(out);
    }

    /** Launch latency as the host sees it: n empty launches back to back, one finish. */
    private static void empty(cl_context ctx, cl_command_queue q, cl_program p, int n) {
        cl_mem out = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 4, null, null);
        cl_kernel k = clCreateKernel(p, "empty", null);
        clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(out));
        long[] g = {1};
        clEnqueueNDRangeKernel(q, k, 1, null, g, null, 0, null, null);
        clFinish(q);
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            clEnqueueNDRangeKernel(q, k, 1, null, g, null, 0, null, null);
        }
        clFinish(q);
        System.out.printf(Locale.ROOT, "empty kernel: %.2f us per launch (%d launches, one clFinish)%n",
                (System.nanoTime() - t) / 1e3 / n, n);
        clReleaseKernel(k);
        clReleaseMemObject(out);
    }

    /** Best wall time of reps launches, each finished; one warm-up launch first. */
    private static double best(cl_command_queue q, cl_kernel k, long[] global, int reps) {
        clEnqueueNDRangeKernel(q, k, 1, null, global, null, 0, null, null);
        clFinish(q);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            clEnqueueNDRangeKernel(q, k, 1, null, global, null, 0, null, null);
            clFinish(q);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
