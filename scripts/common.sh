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
