#!/usr/bin/env bash
# OpenCL parity tests and a small benchmark on an NVIDIA GPU, without Maven and without network.
#
#   scripts/gpu-check.sh prepare   # HERE (with Maven): builds .device/ — jars, test classes, a
#                                  # jlinked Java runtime and the OpenCL ICD loader (~40 MB)
#   scripts/gpu-check.sh           # ON THE GPU MACHINE: platform info, parity tests, benchmark
#
# The GPU run selects the platform by name (LAYERLAB_OPENCL_PLATFORM, default NVIDIA), prints a
# clinfo-like listing or the exact reason no NVIDIA platform is usable (missing ICD loader, ICD
# file or libnvidia-opencl), runs the OpenCL parity test classes with the JUnit console launcher
# and the benchmark (ReLU, BatchNorm train, MaxPool 2x2, Conv2d 3x3, Linear 256x4096->4096;
# ms, GB/s, GFLOP/s), after DeviceLimits (the device's own copy bandwidth, FMA peak and launch
# latency; GPU_CHECK_SMALL=1 keeps it tiny, for PoCL). ClInfo, DeviceLimits, GpuBench and JitBench are bench/'s programs (bench/src/main/java/
# layerlab/backend/opencl). Everything it prints is also written under $OUT (or .device/out).
# With the device tool: carry [".device"] and run `bash scripts/gpu-check.sh`.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEV="$ROOT/.device"

if [ "${1:-}" = prepare ]; then
    set -e
    cd "$ROOT"
    mvn -q -B -pl bench -am test-compile   # compute (and its test classes) and bench
    rm -rf "$DEV"
    mkdir -p "$DEV/lib" "$DEV/icd-loader"
    mvn -q -B -pl compute dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$DEV/lib"
    mvn -q -B -pl compute dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
        -DoutputDirectory="$DEV/lib"
    jar cf "$DEV/lib/layerlab-compute.jar" -C compute/target/classes .
    # the GPU tools (ClInfo, GpuBench, JitBench) from bench, without bench's libtorch side
    jar cf "$DEV/lib/layerlab-bench-opencl.jar" -C bench/target/classes layerlab/backend/opencl
    # the OpenCL tests and what they use; not the libtorch oracle (its natives stay here)
    jar cf "$DEV/lib/layerlab-compute-tests.jar" -C compute/target/test-classes layerlab/backend/opencl \
        -C compute/target/test-classes layerlab/oracle/Compare.class
    cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$DEV/icd-loader/libOpenCL.so.1"
    jlink --add-modules java.base,java.logging,java.xml,java.management,java.scripting,jdk.unsupported,jdk.zipfs \
        --strip-debug --compress=2 --no-header-files --no-man-pages --output "$DEV/jre"
    du -sh "$DEV"
    exit 0
fi

OUT="${OUT:-$DEV/out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check.log") 2>&1
PLATFORM="${LAYERLAB_OPENCL_PLATFORM:-NVIDIA}"
JAVA="$DEV/jre/bin/java"
[ -x "$JAVA" ] || JAVA=java
CP="$DEV/lib/*"
if [ ! -f "$DEV/lib/layerlab-compute.jar" ]; then
    echo "gpu-check: $DEV/lib is missing: run 'scripts/gpu-check.sh prepare' on the build machine first"
    exit 2
fi

echo "== machine"
date -u
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
else
    echo "nvidia-smi: not found"
fi

echo "== OpenCL pieces"
if ldconfig -p 2>/dev/null | grep -q 'libOpenCL.so.1'; then
    echo "ICD loader: $(ldconfig -p | grep 'libOpenCL.so.1' | head -1)"
else
    echo "ICD loader: no libOpenCL.so.1 on this machine; using the carried one ($DEV/icd-loader)"
    export LD_LIBRARY_PATH="$DEV/icd-loader${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
NV_LIB=$( (ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so/ {print $NF}';
          ls /usr/local/nvidia/lib64/libnvidia-opencl.so* /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so* \
             /usr/lib64/libnvidia-opencl.so* 2>/dev/null) | head -1)
if [ -n "$NV_LIB" ]; then
    echo "NVIDIA OpenCL driver library: $NV_LIB"
else
    echo "NVIDIA OpenCL driver library: not found (libnvidia-opencl.so.1 is missing: the container was started"
    echo "  without the OpenCL part of the driver, e.g. NVIDIA_DRIVER_CAPABILITIES lacks compute)"
fi
echo "ICD files in /etc/OpenCL/vendors: $(ls /etc/OpenCL/vendors 2>/dev/null | tr '\n' ' ' || true)"
if [ ! -f /etc/OpenCL/vendors/nvidia.icd ] && [ -n "$NV_LIB" ]; then
    echo "/etc/OpenCL/vendors/nvidia.icd is missing: registering $NV_LIB through OCL_ICD_VENDORS"
    mkdir -p "$OUT/vendors"
    echo "$NV_LIB" > "$OUT/vendors/nvidia.icd"
    export OCL_ICD_VENDORS="$OUT/vendors"
fi

echo "== platforms"
"$JAVA" -cp "$CP" layerlab.backend.opencl.ClInfo "$PLATFORM"
info=$?
if [ $info -ne 0 ]; then
    echo "gpu-check: no usable OpenCL platform matching '$PLATFORM' (see above); parity tests and benchmark not run"
    exit 1
fi

echo "== parity tests on '$PLATFORM'"
"$JAVA" -Dlayerlab.opencl.platform="$PLATFORM" -jar "$DEV"/lib/junit-platform-console-standalone-1.14.1.jar \
    execute --class-path "$DEV/lib/layerlab-compute.jar:$DEV/lib/layerlab-compute-tests.jar:$(ls "$DEV"/lib/jocl-*.jar)" \
    --select-package layerlab.backend.opencl --include-classname '.*(ParityTest|RuntimeTest|DeviceNetworkTest|DeviceLayersTest)$' \
    --details=tree --reports-dir "$OUT/junit" --disable-banner --disable-ansi-colors
tests=$?

echo "== device limits on '$PLATFORM' (float4 copy bandwidth, FMA peak, empty-kernel latency)"
"$JAVA" -Dlayerlab.opencl.platform="$PLATFORM" -cp "$CP" layerlab.backend.opencl.DeviceLimits \
    ${GPU_CHECK_SMALL:+--small} | tee "$OUT/device-limits.txt"

echo "== benchmark on '$PLATFORM'"
"$JAVA" -Dlayerlab.opencl.platform="$PLATFORM" -cp "$CP" layerlab.backend.opencl.GpuBench "${GPU_BENCH_REPS:-20}" | tee "$OUT/gpu-bench.txt"
bench=${PIPESTATUS[0]}

echo "== JIT cost on '$PLATFORM' (CUDA_CACHE_DISABLE=1: cold)"
CUDA_CACHE_DISABLE=1 "$JAVA" -Dlayerlab.opencl.platform="$PLATFORM" -cp "$CP" layerlab.backend.opencl.JitBench \
    | tee "$OUT/jit-bench.txt"

echo "== done: tests rc=$tests, benchmark rc=$bench"
[ $tests -eq 0 ] && [ $bench -eq 0 ]
