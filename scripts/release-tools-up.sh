#!/usr/bin/env bash
# Installs (once, from Debian's packages) what `make release` and the
# release and shell-completion tests need: git (goreleaser reads the
# commit), gpg (signatures), zip and unzip (archives), and the shells that
# `nova-plan completion` writes for: bash, zsh and fish. Idempotent: a
# second run only checks and prints what it found. `make test` and
# scripts/release.sh run it.
#
#   scripts/release-tools-up.sh
#
# Exits non-zero with a message naming what is missing when it cannot
# install it (not root, no apt-get, no such package).
set -euo pipefail
. "$(dirname "$0")/apt.sh"

die() { echo "release-tools-up: $*" >&2; exit 1; }

# command → Debian package.
declare -A packages=([git]=git [gpg]=gnupg [zip]=zip [unzip]=unzip [bash]=bash [zsh]=zsh [fish]=fish)

missing=()
for cmd in git gpg zip unzip bash zsh fish; do
  command -v "$cmd" >/dev/null || missing+=("${packages[$cmd]}")
done

if [ ${#missing[@]} -gt 0 ]; then
  what="missing: ${missing[*]} (the release and shell-completion tests and make release need them)"
  [ "$(id -u)" -eq 0 ] || die "$what: run 'sudo apt-get install ${missing[*]}', or run this script as root once"
  command -v apt-get >/dev/null || die "$what, and there is no apt-get to install them: install them with your system's package manager"
  echo "release-tools-up: installing ${missing[*]}"
  apt_install release-tools-up "${missing[@]}"
fi

for cmd in git gpg zip unzip bash zsh fish; do
  command -v "$cmd" >/dev/null || die "${packages[$cmd]} was installed but there is no $cmd on PATH"
done
echo "release-tools-up: $(gpg --version | sed -n 1p), zip $(zip -v | sed -n 2p | awk "{print \$4}"), bash ${BASH_VERSION%%(*}, $(zsh --version | awk '{print "zsh", $2}'), $(fish --version 2>&1 | awk '{print "fish", $3}')"
