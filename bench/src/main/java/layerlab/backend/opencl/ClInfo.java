package layerlab.backend.opencl;

import static org.jocl.CL.*;

import java.util.Locale;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * A small clinfo: every OpenCL platform and device this JVM sees, or the exact reason why none.
 * Exits with 0 when a platform whose name contains the filter (first argument, or
 * layerlab.opencl.platform / $LAYERLAB_OPENCL_PLATFORM) has a device, else 2. Run by
 * scripts/gpu-check.sh; it lives in the bench module under the backend's package name (the only
 * one that may use org.jocl, and the one whose device queries it shares).
 */
public final class ClInfo {
    private ClInfo() {}

    public static void main(String[] args) {
        String filter = args.length > 0 ? args[0] : OpenClBackend.platformFilter();
        System.exit(print(filter) ? 0 : 2);
    }

    static boolean print(String filter) {
        cl_platform_id[] platforms;
        try {
            int[] n = new int[1];
            ClException.check(clGetPlatformIDs(0, null, n), "clGetPlatformIDs");
            platforms = new cl_platform_id[n[0]];
            ClException.check(clGetPlatformIDs(n[0], platforms, null), "clGetPlatformIDs");
        } catch (LinkageError e) {
            System.out.println("no OpenCL library could be loaded: " + e);
            return false;
        } catch (ClException e) {
            System.out.println(e.getMessage() + (e.status() == CL_PLATFORM_NOT_FOUND_KHR
                    ? " — the ICD loader found no driver: check /etc/OpenCL/vendors/*.icd or $OCL_ICD_VENDORS" : ""));
            return false;
        }
        System.out.println("Number of platforms: " + platforms.length);
        boolean found = false;
        for (cl_platform_id p : platforms) {
            String name = ClRuntime.platformString(p, CL_PLATFORM_NAME);
            System.out.println("Platform: " + name);
            System.out.println("  Vendor:  " + ClRuntime.platformString(p, CL_PLATFORM_VENDOR));
            System.out.println("  Version: " + ClRuntime.platformString(p, CL_PLATFORM_VERSION));
            int[] n = new int[1];
            int status = clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            if (status != CL_SUCCESS) {
                System.out.println("  no devices: clGetDeviceIDs returned " + stringFor_errorCode(status));
                continue;
            }
            cl_device_id[] ds = new cl_device_id[n[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n[0], ds, null);
            for (cl_device_id d : ds) {
                System.out.println("  Device: " + ClRuntime.deviceString(d, CL_DEVICE_NAME));
                System.out.println("    Version:          " + ClRuntime.deviceString(d, CL_DEVICE_VERSION));
                System.out.println("    OpenCL C:         " + ClRuntime.deviceString(d, CL_DEVICE_OPENCL_C_VERSION));
                System.out.println("    Driver:           " + ClRuntime.deviceString(d, CL_DRIVER_VERSION));
                System.out.println(String.format(Locale.ROOT, "    Global memory:    %.1f GiB",
                        ClRuntime.deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE) / (double) (1L << 30)));
                System.out.println("    Local memory:     " + ClRuntime.deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE) / 1024 + " KiB");
                System.out.println("    Compute units:    " + ClRuntime.deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS));
                System.out.println("    Max work-group:   " + ClRuntime.deviceLong(d, CL_DEVICE_MAX_WORK_GROUP_SIZE));
                System.out.println("    Clock:            " + ClRuntime.deviceInt(d, CL_DEVICE_MAX_CLOCK_FREQUENCY) + " MHz");
            }
            if (ds.length > 0 && name.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT))) {
                found = true;
            }
        }
        if (!found) {
            System.out.println("no OpenCL platform whose name contains '" + filter + "' has a device");
        }
        return found;
    }
}
