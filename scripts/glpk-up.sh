#!/usr/bin/env bash
# Installs GLPK's command-line solver glpsol (Debian glpk-utils), which the
# placement quality tests (engine/place) use as an exact solver to
# cross-check small bin-packing instances. Idempotent: a machine that has
# glpsol only has it checked.
#
#   scripts/glpk-up.sh   # install if needed; print glpsol's version line
#
# Exits non-zero with a message saying what is missing when it cannot.
set -euo pipefail

die() { echo "glpk-up: $*" >&2; exit 1; }

if ! command -v glpsol >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "glpsol is missing and apt-get is not available: install GLPK (glpk-utils) by hand"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "glpsol is missing: run as root, or install glpk-utils with sudo"
    sudo=sudo
  fi
  echo "glpk-up: installing glpk-utils"
  $sudo apt-get install -y -q glpk-utils >/dev/null 2>&1 ||
    { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q glpk-utils >/dev/null; } ||
    die "apt-get could not install glpk-utils"
fi
command -v glpsol >/dev/null 2>&1 || die "glpk-utils is installed but glpsol is not on PATH"
glpsol --version | head -n 1
