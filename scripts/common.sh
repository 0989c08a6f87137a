# Shared by the scripts in this folder: paths, the pinned interpreter and phase timing.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian's Python, never a pyenv shim: the module is built for and tested with this one.
PYTHON=${MAILTLS_PYTHON:-/usr/bin/python3}
VENV=${MAILTLS_VENV:-$ROOT/.venv}
BUILD=$ROOT/build
JOBS=${MAILTLS_JOBS:-$(nproc)}

phase_start=0
phase() {
  phase_end
  phase_name=$1
  phase_start=$(date +%s)
  printf '\n=== %s\n' "$phase_name"
}
phase_end() {
  if [ "$phase_start" != 0 ]; then
    printf '=== %s took %ss\n' "$phase_name" "$(( $(date +%s) - phase_start ))"
    phase_start=0
  fi
}

# ccache, when present, for every build these scripts start (CMake reads the launcher from
# the environment). Paths are hashed relative to the project, so a fresh clone, CI and the
# pre-commit hook's own install of this repository reuse each other's objects.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=true
fi
