# scripts/apt.sh — sourced by the *-up.sh scripts that install Debian
# packages: one way to ask apt what it knows and to install, so that every
# script waits for apt's locks and reads apt's answers the same way.
#
#   . scripts/apt.sh               # from the repository root
#   . "$(dirname "$0")/apt.sh"     # or beside the script
#   apt_install NAME PACKAGE...   # NAME prefixes the messages
#
# apt_install needs root and apt-get; it fails (exit 1) with a message that
# names the package apt does not know, or the step that failed.

# Another apt (a second make test, unattended-upgrades) may hold dpkg's or
# the lists' lock: wait for it rather than fail.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}

# apt_candidate P: apt knows a version of P to install. Not a pipe into
# grep -q: under pipefail grep's early exit can kill apt-cache with SIGPIPE
# and fail the pipe, so a package apt knows would be reported unknown.
apt_candidate() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
  [[ $policy =~ Candidate:\ [0-9] ]]
}

# apt_install NAME PACKAGE...: installs the packages, updating apt's lists
# first when one of them is unknown (a fresh machine has no lists).
apt_install() {
  local name=$1 p
  shift
  export DEBIAN_FRONTEND=noninteractive
  local lock=(-o "DPkg::Lock::Timeout=$APT_LOCK_WAIT")
  for p in "$@"; do
    if ! apt_candidate "$p"; then
      apt-get "${lock[@]}" update -qq ||
        { echo "$name: apt-get update failed: cannot reach the Debian package mirror" >&2; exit 1; }
      break
    fi
  done
  for p in "$@"; do
    apt_candidate "$p" ||
      { echo "$name: apt knows no $p package (apt-cache policy $p): add a Debian mirror that has it" >&2; exit 1; }
  done
  apt_get_install "$@" && return
  # Lists older than the mirror name versions it no longer has (Debian's
  # security updates replace them): update once and try again.
  echo "$name: apt-get install failed; updating apt's lists and trying once more" >&2
  apt-get "${lock[@]}" update -qq ||
    { echo "$name: apt-get update failed: cannot reach the Debian package mirror" >&2; exit 1; }
  apt_get_install "$@" || { echo "$name: apt-get install $* failed (see above)" >&2; exit 1; }
}

apt_get_install() {
  apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT" install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confnew "$@" >/dev/null
}
