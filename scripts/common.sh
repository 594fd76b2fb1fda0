# Shared by scripts/demo, scripts/test and the benchmark scripts: install what is missing (Debian 12
# packages, as root, only when missing) and build the project. Source it; do not run it.

SERIALMATCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERIALMATCH_BUILD="${SERIALMATCH_BUILD:-$SERIALMATCH_ROOT/build}"

# What building and testing needs.
SERIALMATCH_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libabsl-dev libidn2-dev libre2-dev
                            libsimdjson-dev libisal-dev libzstd-dev liblzma-dev libbz2-dev
                            libssl-dev libcurl4-openssl-dev libgtest-dev libgmock-dev
                            libbenchmark-dev libc-ares-dev libyaml-cpp-dev libgoogle-perftools-dev
                            python3-distributed)
SERIALMATCH_BUILD_PACKAGES+=(prometheus)  # promtool, for the tests of examples/prometheus/
SERIALMATCH_BUILD_PACKAGES+=(dpkg-dev groff-base)  # scripts/package (dpkg-shlibdeps), man page test
SERIALMATCH_BUILD_PACKAGES+=(zsh)  # the zsh completion's test (zsh -n, and what it offers)

# ensure_packages PKG...: installs the packages that are not installed yet.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null ||
      { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  if [ -z "${SERIALMATCH_APT_UPDATED:-}" ]; then
    "${sudo[@]}" apt-get update -qq
    SERIALMATCH_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# build_project [TARGET...] [-- CMAKE_ARGS...]: configures (once) and builds into $SERIALMATCH_BUILD.
build_project() {
  local targets=() cmake_args=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; cmake_args=("$@"); break; fi
    targets+=("$1"); shift
  done
  cmake -S "$SERIALMATCH_ROOT" -B "$SERIALMATCH_BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_args[@]}" >/dev/null
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$SERIALMATCH_BUILD" --parallel "$jobs" --target "${targets[@]}"
  else
    cmake --build "$SERIALMATCH_BUILD" --parallel "$jobs"
  fi
}
