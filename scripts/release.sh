#!/usr/bin/env bash
# Builds a release of NovaCron with goreleaser in snapshot mode: nothing is
# published. `make release` runs it; the release test
# (cmd/terraform-provider-novacron/release_test.go) runs it for the host
# platform alone. See .goreleaser.yml for what it makes, docs/install.md
# for how users install it.
#
#   VERSION=0.2.0 scripts/release.sh          # every platform, into dist/
#
# VERSION             the version to stamp (a semantic version, no leading v).
# GPG_FINGERPRINT     the fingerprint of the secret key (in GNUPGHOME, else
#                     ~/.gnupg) that signs SHA256SUMS and the nova-plan
#                     archives. Without it nothing is signed, and the script
#                     ends saying so (a registry refuses an unsigned release).
# NOVA_RELEASE_DIST   where to write the release (default dist/ in the
#                     checkout; a relative path is taken from the working
#                     directory). Its previous release is replaced, only once
#                     the new one is complete: the release is built in a new
#                     folder beside it. Refused: a file, /, $HOME, the
#                     checkout or a folder holding it, and a folder with files
#                     that is not a release (no artifacts.json from goreleaser).
# NOVA_RELEASE_HOST_ONLY=1  build the host platform alone (go env GOOS/GOARCH),
#                     with the machine's cgo setting and without -trimpath
#                     (the flags of `go build`, to share its build cache): a
#                     test build, not one to ship.
# NOVA_RELEASE_TIMEOUT  how long goreleaser may run (a Go duration; 6h unless
#                     set: its own default, 1h, was too short for a cold
#                     cache on a busy 2-core machine).
#
# goreleaser is pinned in tools/release/go.mod, a module of its own so that
# its dependencies stay out of the main module's; scripts/release-tools-up.sh
# installs what else it needs (git, gpg, zip, unzip).
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$(pwd -P)

die() { echo "release: $*" >&2; exit 1; }

version=${VERSION:-}
[ -n "$version" ] || die "VERSION is not set: give the version to stamp, e.g. VERSION=0.2.0 scripts/release.sh (make release sets it)"
# Semantic Versioning 2.0.0: numbers without leading zeros, identifiers
# not empty, numeric pre-release identifiers without leading zeros.
num='(0|[1-9][0-9]*)' pre='(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)' build='[0-9A-Za-z-]+'
semver="^$num\.$num\.$num(-$pre(\.$pre)*)?(\+$build(\.$build)*)?\$"
[[ $version =~ $semver ]] ||
  die "VERSION=$version is not a semantic version such as 0.2.0 or 0.2.0-rc.1 (no leading v, no leading zeros, no empty identifiers)"

# goreleaser stops a release that runs longer than --timeout (1 h by
# default). Twelve cross-compiled binaries with a cold Go cache on a busy
# 2-core machine took longer than that, and the caller (a person, CI) has its
# own time limit: NOVA_RELEASE_TIMEOUT (a Go duration) sets it, 6 h unless.
timeout=${NOVA_RELEASE_TIMEOUT:-6h}
[[ $timeout =~ ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$ ]] ||
  die "NOVA_RELEASE_TIMEOUT=$timeout is not a Go duration such as 90m or 6h"

# The dist folder: checked before anything is built, since the release
# replaces what is there (goreleaser --clean removes its folder whole): only
# an absent folder, an empty one, or a previous release (goreleaser's
# artifacts.json in it) may be one.
dist=${NOVA_RELEASE_DIST:-$root/dist}
case $dist in /*) ;; *) dist=$caller/$dist ;; esac
[ ! -L "$dist" ] || die "NOVA_RELEASE_DIST=$dist is a link, not a folder: nothing was removed"
dist=$(realpath -m -- "$dist")
home=$(realpath -m -- "${HOME:-/nonexistent}")
given="NOVA_RELEASE_DIST=${NOVA_RELEASE_DIST:-dist} ($dist)"
[ "$dist" != / ] || die "$given is / : give a folder of its own, e.g. NOVA_RELEASE_DIST=dist"
[ "$dist" != "$home" ] || die "$given is your home folder: give a folder of its own, e.g. NOVA_RELEASE_DIST=dist"
[ "$dist" != "$root" ] || die "$given is the checkout: give a folder of its own, e.g. NOVA_RELEASE_DIST=dist"
case $root/ in "${dist%/}"/*) die "$given holds the checkout $root: give a folder of its own, e.g. NOVA_RELEASE_DIST=dist" ;; esac
if [ -e "$dist" ] && [ ! -d "$dist" ]; then
  die "$given is a file or a link, not a folder: nothing was removed"
fi
if [ -d "$dist" ] && [ -n "$(ls -A -- "$dist")" ] && [ ! -f "$dist/artifacts.json" ]; then
  die "$given is not empty and is not a release (no artifacts.json): the release replaces what is there, so give an empty or new folder"
fi

scripts/release-tools-up.sh >/dev/null

skip=()
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  gpg --batch --list-secret-keys "$GPG_FINGERPRINT" >/dev/null 2>&1 ||
    die "GPG_FINGERPRINT=$GPG_FINGERPRINT names no secret key in ${GNUPGHOME:-~/.gnupg} (gpg --list-secret-keys)"
  # A test signature with .goreleaser.yml's options: an expired or revoked
  # key, or one that needs a passphrase nobody can type, fails here rather
  # than after the build.
  if ! err=$(echo "NovaCron release key check" | gpg --batch --local-user "$GPG_FINGERPRINT" --output /dev/null --detach-sign 2>&1); then
    die "the key GPG_FINGERPRINT=$GPG_FINGERPRINT cannot sign (an expired or revoked key, or one needing a passphrase?); nothing was built: $err"
  fi
else
  skip=(--skip=sign)
fi

# The configuration, with the dist folder and (for a host build) the
# targets rewritten; each rewrite must have happened.
# The release is built in a new folder beside dist and moved into place
# only when complete: a failure leaves dist as it was.
mkdir -p -- "$(dirname -- "$dist")"
stage=$(mktemp -d -- "$(dirname -- "$dist")/.$(basename -- "$dist").new.XXXXXX")
config=$(mktemp "${TMPDIR:-/tmp}/novacron-goreleaser.XXXXXX")
trap 'rm -f "$config"; rm -rf -- "$stage"' EXIT
goos='[linux, darwin, windows]' goarch='[amd64, arm64]'
host=()
if [ "${NOVA_RELEASE_HOST_ONLY:-}" = 1 ]; then
  goos="[$(go env GOOS)]" goarch="[$(go env GOARCH)]"
  # A host build compiles as `go build` and `go test` do here (cgo as the
  # machine has it, no -trimpath), so it reuses their build cache instead
  # of compiling every dependency a second time: the release test would
  # otherwise add a full compile of the SDKs to a cold `make test`.
  host=(-e '/^      - CGO_ENABLED=0$/d' -e '/^      - -trimpath$/d')
fi
sed -E -e "s|^dist: .*|dist: $stage|" \
  -e "s|^(    goos: &goos ).*( # targets)$|\1$goos\2|" \
  -e "s|^(    goarch: &goarch ).*( # targets)$|\1$goarch\2|" "${host[@]}" .goreleaser.yml >"$config"
for want in "dist: $stage" "    goos: &goos $goos # targets" "    goarch: &goarch $goarch # targets"; do
  grep -qxF -- "$want" "$config" ||
    die ".goreleaser.yml no longer has the lines this script rewrites (dist:, goos: &goos … # targets, goarch: &goarch … # targets)"
done
if [ ${#host[@]} -gt 0 ] && grep -qE '^      - (CGO_ENABLED=0|-trimpath)$' "$config"; then
  die ".goreleaser.yml's CGO_ENABLED=0 and -trimpath lines are no longer the ones a host build removes"
fi

# goreleaser, built (once; then from Go's cache) from its own module.
echo "release: goreleaser $(awk '$1 == "github.com/goreleaser/goreleaser/v2" {print $2}' tools/release/go.mod), version $version"
# The commit built and its date, stamped into nova-plan (goreleaser's git
# state is empty in a clone without a remote, so they are read here).
commit=$(git rev-parse HEAD) || die "git rev-parse HEAD failed: a release is built from a git checkout"
timestamp=$(git log -1 --format=%ct HEAD)
date=$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd HEAD)
NOVA_RELEASE_VERSION=$version NOVA_RELEASE_COMMIT=$commit NOVA_RELEASE_DATE=$date NOVA_RELEASE_TIMESTAMP=$timestamp \
  go tool -modfile=tools/release/go.mod goreleaser \
  release --snapshot --clean --timeout "$timeout" --config "$config" "${skip[@]}"

# The registry manifest beside the zips (goreleaser publishes it as a release
# file; a snapshot publishes nothing), then SHA256SUMS must match every file.
sums=terraform-provider-novacron_${version}_SHA256SUMS
cp terraform-registry-manifest.json "$stage/terraform-provider-novacron_${version}_manifest.json"
(cd "$stage" && sha256sum --quiet -c "$sums") || die "$sums does not match the files it lists: $dist was left as it was"
# Complete: the previous release (checked above to be one) gives way.
rm -rf -- "$dist"
mv -- "$stage" "$dist"

echo "release: $version in $dist:"
(cd "$dist" && for f in nova-plan_* terraform-provider-novacron_*; do [ ! -f "$f" ] || echo "  $f"; done)
if [ ${#skip[@]} -gt 0 ]; then
  echo "release: NOT SIGNED: GPG_FINGERPRINT is not set. To sign $sums and the nova-plan archives, give the" >&2
  echo "release: fingerprint of a secret key in your keyring: GPG_FINGERPRINT=\$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ {print \$10; exit}') make release" >&2
fi
