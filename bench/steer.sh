#!/usr/bin/env bash
# Kernel steering on a busy machine (CPU time, 1 thread, SIMD on and off): bench/steer.sh 'relu|conv' [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -pl bench -am package -DskipTests
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
exec "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms3g -Xmx3g -XX:+AlwaysPreTouch \
  -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -DDJL_CACHE_DIR="$HOME/.cache/layerlab-djl" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" layerlab.bench.Steer "$@" 2>&1 | grep -v '^WARNING'
