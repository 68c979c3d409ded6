#!/usr/bin/env bash
# layerlab against libtorch, side by side (bench/README-results.md). Run from the repository root:
#   bench/run.sh                      # full table at 1 and 2 threads
#   bench/run.sh --threads 2 --only 'relu|pool' --quick
#   bench/run.sh --sweep --quick      # other shapes, each row checked against libtorch (exit 1 on a failed check)
#   MVN_FLAGS=-o bench/run.sh         # build offline
#   JAVA=/path/to/java bench/run.sh   # another JDK (default: JDK 25 if installed, else java on PATH)
#   LAYERLAB_SIMD=false bench/run.sh  # layerlab's scalar twins instead of the Vector API paths
#   BENCH_JVM_FLAGS="-XX:UseAVX=2" bench/run.sh   # more JVM flags (AVX2's width and 16 registers;
#                                     # -Dlayerlab.gemm.rows=6|8|12 forces a GEMM micro-tile)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B ${MVN_FLAGS:-} -pl bench -am package -DskipTests
if [[ -z "${JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; else JAVA=java; fi
fi
exec "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Xms3g -Xmx3g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -DDJL_CACHE_DIR="$HOME/.cache/layerlab-djl" \
  -Dlayerlab.simd="${LAYERLAB_SIMD:-true}" ${BENCH_JVM_FLAGS:-} \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" layerlab.bench.Main "$@"
