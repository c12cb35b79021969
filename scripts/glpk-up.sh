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
cd "$(dirname "$0")/.."
. scripts/apt.sh

die() { echo "glpk-up: $*" >&2; exit 1; }

if ! command -v glpsol >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "glpsol is missing: run 'sudo apt-get install glpk-utils', or run this script as root once"
  command -v apt-get >/dev/null 2>&1 || die "glpsol is missing and there is no apt-get to install it: install GLPK (glpk-utils) by hand"
  echo "glpk-up: installing glpk-utils"
  apt_install glpk-up glpk-utils
fi
command -v glpsol >/dev/null 2>&1 || die "glpk-utils is installed but glpsol is not on PATH"
# Not a pipe into head: under pipefail glpsol could die of SIGPIPE.
version=$(glpsol --version)
echo "glpk-up: ${version%%$'\n'*}"
