#!/usr/bin/env bash
# Installs Debian's chromium when /usr/bin/chromium is missing: the
# dashboard's browser test (server/dashboard) drives it headless with
# chromedp. Idempotent: a second run only checks and prints the version.
#
#   scripts/chromium-up.sh     # install if needed; print the version
#
# NOVA_CHROMIUM names another Chromium or Chrome binary to check instead
# (the test reads the same variable). Exits non-zero with a message saying
# what is missing when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt.sh

bin=${NOVA_CHROMIUM:-/usr/bin/chromium}

die() { echo "chromium-up: $*" >&2; exit 1; }

# install installs Debian's chromium package when the binary is missing.
install() {
  [ -x "$bin" ] && return
  [ -z "${NOVA_CHROMIUM:-}" ] || die "NOVA_CHROMIUM names $bin, which is not an executable file"
  [ "$(id -u)" -eq 0 ] ||
    die "Chromium is not installed (no $bin): run 'sudo apt-get install chromium', or run this script as root once"
  command -v apt-get >/dev/null ||
    die "Chromium is not installed (no $bin) and there is no apt-get to install it: install Chromium or Chrome and set NOVA_CHROMIUM to its path"
  echo "chromium-up: installing chromium (about a minute)"
  apt_install chromium-up chromium fonts-dejavu-core
  [ -x "$bin" ] || die "chromium was installed but there is no $bin"
}

install
# Chromium prints its version without starting a browser; a binary that
# cannot even do that is missing libraries. (Debian's launcher's
# /etc/chromium.d scripts may complain on stderr; only stdout is kept.)
errs=$(mktemp)
trap 'rm -f "$errs"' EXIT
version=$("$bin" --version 2>"$errs") || die "$bin --version failed: $(cat "$errs")"
echo "chromium-up: $version ($bin)"
