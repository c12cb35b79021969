#!/usr/bin/env bash
# bench-compare.sh OLD NEW: two nova-plan binaries on the same simulated
# estates, interleaved (OLD then NEW in odd rounds, NEW then OLD in even
# ones, so load from elsewhere falls on both alike), and their medians and
# peak RSS side by side.
#
# For each size (SIZES, default "10000 100000" VMs; 100 hosts per 10,000
# VMs as in cmd/nova-plan/bench_test.go, 1,000 for 100,000):
#   apply    ROUNDS applies of the whole fleet from nothing (sim, no latency,
#            -parallelism=100), each binary in its own workspace;
#   plan     then one untimed plan each, and ROUNDS no-change plans
#            (plan -detailed-exitcode must exit 0) in those workspaces.
# Each binary keeps its own workspace: the two may write different formats.
#
# Environment: ROUNDS (default 5), SIZES, BENCH_DIR (scratch space, where
# copies of both binaries run, default a new directory under
# ${TMPDIR:-/tmp}, removed at the end unless KEEP=1). Needs /usr/bin/time
# (GNU time) for the peak RSS.
set -euo pipefail

usage() { echo "usage: $0 OLD-nova-plan NEW-nova-plan" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
old=$(realpath "$1") new=$(realpath "$2")
for b in "$old" "$new"; do
	[[ -x $b ]] || { echo "bench-compare: $b is not an executable nova-plan" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench-compare: GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 2; }
rounds=${ROUNDS:-5}
sizes=${SIZES:-10000 100000}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-compare.XXXXXX")}
mkdir -p "$work"
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
# Run fresh copies of both binaries, so that both are in the same state in
# the page cache: the pages the kernel maps at each fault of a file depend
# on how its cache was filled (a binary the linker just wrote, one copied,
# one read back). Dropping a binary from the cache and reading it whole
# (dd iflag=nocache, then cat) left two builds of the same code at 48 and
# 80 MB peak RSS for `version`; fresh copies of either measure 44 MB.
oldsrc=$old newsrc=$new
cp "$old" "$work/old-nova-plan"
cp "$new" "$work/new-nova-plan"
old=$work/old-nova-plan new=$work/new-nova-plan
"$old" version >/dev/null 2>&1 || { echo "bench-compare: cannot run a copy of the binary in $work (mounted noexec?): set BENCH_DIR or TMPDIR to a folder where programs can run" >&2; exit 2; }
samples="$work/samples" # lines: size op which seconds kb
: >"$samples"

spec() { # spec VMS HOSTS
	cat <<EOF
provider "sim" "big" {
  hosts          = $2
  host_cpu       = 256
  host_memory_gb = 1024
  latency        = "0s"
}
template "base" {
  sim { image = "base" }
}
fleet "app" {
  count     = $1
  template  = template.base
  cpu       = 1
  memory_gb = 1
  tags      = { tier = "app" }
}
EOF
}

# run SIZE OP WHICH WANT-EXIT args…: one timed run of binary WHICH in its
# workspace for SIZE, recorded in $samples.
run() {
	local size=$1 op=$2 which=$3 want=$4 bin dir out code
	shift 4
	bin=$old
	[[ $which == new ]] && bin=$new
	dir="$work/$size-$which"
	out="$work/last.out"
	set +e
	(cd "$dir" && /usr/bin/time -o "$work/time" -f "%e %M" "$bin" "$@" >"$out" 2>&1)
	code=$?
	set -e
	if [[ $code -ne $want ]]; then
		echo "bench-compare: $which $* on $size VMs exited $code, want $want:" >&2
		tail -20 "$out" >&2
		exit 1
	fi
	[[ $op == - ]] || echo "$size $op $which $(tail -1 "$work/time")" >>"$samples"
}

# order ROUND: the binaries in the order of this round.
order() { if (($1 % 2)); then echo old new; else echo new old; fi; }

for size in $sizes; do
	hosts=$((size / 100))
	((size < 100000)) || hosts=1000
	for which in old new; do
		mkdir -p "$work/$size-$which"
		spec "$size" "$hosts" >"$work/$size-$which/main.nova.hcl"
	done
	echo "==> $size VMs on $hosts hosts: $rounds interleaved rounds of apply, then of no-change plan" >&2
	for r in $(seq 1 "$rounds"); do
		for which in $(order "$r"); do
			rm -rf "$work/$size-$which/.nova"
			run "$size" apply "$which" 0 apply -auto-approve -parallelism=100
		done
	done
	for which in old new; do
		run "$size" - "$which" 0 plan -detailed-exitcode # warm-up: not counted
	done
	for r in $(seq 1 "$rounds"); do
		for which in $(order "$r"); do
			run "$size" plan "$which" 0 plan -detailed-exitcode
		done
	done
done

# median FIELD SIZE OP WHICH: the median of column FIELD (4 seconds, 5 KB).
median() {
	awk -v s="$2" -v o="$3" -v w="$4" -v f="$1" '$1 == s && $2 == o && $3 == w { print $f }' "$samples" |
		sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# peak SIZE OP WHICH: the largest peak RSS in MB.
peak() {
	awk -v s="$1" -v o="$2" -v w="$3" '$1 == s && $2 == o && $3 == w && $5 > m { m = $5 } END { printf "%.0f", m / 1024 }' "$samples"
}

echo
echo "OLD $oldsrc"
echo "NEW $newsrc"
echo "median wall time and the highest peak RSS of $rounds interleaved runs each"
printf '%-22s %10s %10s %8s %12s %12s\n' "" "OLD s" "NEW s" "NEW/OLD" "OLD RSS MB" "NEW RSS MB"
for size in $sizes; do
	for op in plan apply; do
		o=$(median 4 "$size" "$op" old) n=$(median 4 "$size" "$op" new)
		label="$op $size"
		[[ $op == plan ]] && label="no-change plan $size"
		printf '%-22s %10.2f %10.2f %7.2fx %12s %12s\n' "$label" "$o" "$n" "$(awk -v a="$n" -v b="$o" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
			"$(peak "$size" "$op" old)" "$(peak "$size" "$op" new)"
	done
done
echo
echo "every sample (size op binary seconds peak-KB):"
cat "$samples"
