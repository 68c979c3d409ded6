# The course server's part of ./lab, sourced by it (uses its ROOT, PY, HUB_PREFIX, APT_HUB,
# KERNEL_* and helpers: say, fail, is_root, have_apt, apt_install, stage_kernel, ...).
#   ./lab hub [start]   prepare, then JupyterHub in the foreground
#   ./lab hub prepare   packages, build, then hub_install
#   ./lab hub install   kernelspec, hub files and course under $HUB_PREFIX from a finished build
#   ./lab hub push      course files from the checkout into every home now
#   ./lab hub load ARGS prepare, then scripts/hub_load.py ARGS
#   ./lab hub test      what ./lab test runs for the hub: deploy/tests, the load test at K=3
ensure_hub_deps() {
  local missing=()
  if have_apt; then
    for p in "${APT_HUB[@]}"; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    is_root || fail "the course server needs these Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})"
    apt_update_once
    apt_install "${missing[@]}" || fail "could not install ${missing[*]}"
  fi
  [ -x /usr/bin/jupyterhub ] || fail "jupyterhub is missing (Debian: apt-get install jupyterhub)"
  [ -x /usr/bin/configurable-http-proxy ] \
    || fail "configurable-http-proxy is missing (Debian: apt-get install node-configurable-http-proxy)"
}

# The course server's kernelspec, under the prefix where every user's server finds it (the hub
# sets JUPYTER_PATH): the same java command line as the per-user one, jars beside it, readable by
# all. The heap and processor count come per server from JDK_JAVA_OPTIONS, which the hub sets
# (from LAYERLAB_HEAP, LAYERLAB_CPUS); the grader's copy of a kernelspec puts its own -Xmx after
# argv[0] and reads the jars from -cp, so argv[0] stays java.
install_hub_kernel() {
  local dest="$HUB_PREFIX/share/jupyter/kernels/$KERNEL_NAME"
  stage_kernel "$dest"
  write_kernel_json "$dest" "$KERNEL_JAVA" "${KERNEL_FLAGS[@]}" -cp "$dest/lib/*" layerlab.kernel.LabKernel
  chmod -R a+rX "$dest"
  say "course kernel '$KERNEL_DISPLAY' installed in $dest (runs $KERNEL_JAVA)"
}

# Everything the hub runs from, under $HUB_PREFIX: kernelspec, course files, config and services.
hub_install() {
  mkdir -p "$HUB_PREFIX/lib"
  chmod 755 "$HUB_PREFIX" "$HUB_PREFIX/lib"
  install -d -m 700 "${LAYERLAB_HUB_STATE:-$HUB_PREFIX/state}"
  # Users' servers read the kernel and the course through every folder above the prefix.
  local d="$HUB_PREFIX"
  while [ "$d" != / ]; do
    [ "$(( 0$(stat -c %a "$d") & 1 ))" = 1 ] \
      || fail "$d is not searchable by other users (mode $(stat -c %a "$d")); the hub's users could not reach $HUB_PREFIX — choose another LAYERLAB_HUB_PREFIX"
    d="$(dirname "$d")"
  done
  install_hub_kernel
  cp "$ROOT"/deploy/hub/{jupyterhub_config.py,layerlab_hub.py,course_sync.py,cull_idle.py} "$HUB_PREFIX/lib/"
  chmod -R a+rX "$HUB_PREFIX/lib"
  "$PY" "$HUB_PREFIX/lib/course_sync.py" stage --from "$ROOT/notebooks" --to "$HUB_PREFIX/course"
}

hub_prepare() {
  ensure_deps
  ensure_hub_deps
  build
  hub_install
}

# CI's part of the course server: the deploy/ tests (course delivery, culler, the Kubernetes
# files), then the load test at K=3 through the real hub, installed under target/hub.
hub_test() {
  is_root || fail "the hub's load test runs JupyterHub as root and creates Linux users for its students: run ./lab test as root"
  "$PY" -m unittest discover -s "$ROOT/deploy/tests" -v
  HUB_PREFIX="${LAYERLAB_HUB_TEST_PREFIX:-$ROOT/target/hub}"
  hub_install
  "$PY" "$ROOT/scripts/hub_load.py" --k 3 --prefix "$HUB_PREFIX" --timeout 600 --out "$ROOT/target/hub-load"
}

hub_start() {
  is_root || fail "the course server runs as root: it starts each student's server as that student's Linux account"
  local state="${LAYERLAB_HUB_STATE:-$HUB_PREFIX/state}"
  say "starting JupyterHub on http://${LAYERLAB_HUB_IP:-127.0.0.1}:${LAYERLAB_HUB_PORT:-8000} (auth ${LAYERLAB_HUB_AUTH:-pam}; Ctrl-C to stop)"
  cd "$state"
  exec env LAYERLAB_HUB_PREFIX="$HUB_PREFIX" /usr/bin/jupyterhub -f "$HUB_PREFIX/lib/jupyterhub_config.py" "$@"
}

hub_command() {
  local sub="${1:-start}"
  [ $# -gt 0 ] && shift
  case "$sub" in
    start) hub_prepare; hub_start "$@" ;;
    prepare) hub_prepare ;;
    install) hub_install ;;   # already built (an image's build stage): no apt, no Maven
    push)
      is_root || fail "./lab hub push writes into every student's home: run it as root"
      "$PY" "$ROOT/deploy/hub/course_sync.py" stage --from "$ROOT/notebooks" --to "$HUB_PREFIX/course"
      "$PY" "$HUB_PREFIX/lib/course_sync.py" push-all --course "$HUB_PREFIX/course" "$@"
      ;;
    load) hub_prepare; "$PY" "$ROOT/scripts/hub_load.py" --prefix "$HUB_PREFIX" "$@" ;;
    test) ensure_deps required; ensure_hub_deps; build; hub_test ;;
    -*) hub_prepare; hub_start "$sub" "$@" ;;   # ./lab hub --debug: options for jupyterhub
    *) fail "unknown hub command: $sub (start, prepare, install, push, load, test)" ;;
  esac
}

