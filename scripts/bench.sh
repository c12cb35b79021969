#!/usr/bin/env bash
# make bench: NovaCron's performance figures, as Go benchmarks.
#   1. whole nova-plan processes (cmd/nova-plan/bench_test.go): plan and
#      apply of 10,000 VMs, then of 100,000 (issue 15);
#   2. the engine's parts in process (sim, diff, placement, graph, executor,
#      state).
# Each runs BENCH_COUNT times (default 6, the least benchstat gives a confidence interval for),
# the 100,000-VM processes BENCH_COUNT_100K times (default 5); benchstat prints the medians.
# scripts/bench-compare.sh OLD NEW compares two builds interleaved.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${BENCH_COUNT:-6}
count100k=${BENCH_COUNT_100K:-5}
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

echo "==> whole-process benchmarks: nova-plan on 10,000 simulated VMs (count=$count)"
go test -run '^$' -bench . -skip 100k -benchtime=1x -count="$count" ./cmd/nova-plan/ | tee -a "$raw"
echo
echo "==> whole-process benchmarks: nova-plan on 100,000 simulated VMs, 1,000 hosts (count=$count100k)"
go test -run '^$' -bench 100k -benchtime=1x -count="$count100k" -timeout 30m ./cmd/nova-plan/ | tee -a "$raw"
echo
echo "==> engine benchmarks, in process (count=$count)"
go test -run '^$' -bench . -benchmem -count="$count" ./engine/... ./state/... | tee -a "$raw"
echo
echo "==> placement quality (issue 18): hosts used ÷ ⌈configuration-LP bound⌉ per placer and instance,"
echo "    10,000 VMs on 500 hosts (from the engine benchmarks above; docs/scheduling.md)"
awk '/hosts\/bound/ { for (i = 1; i <= NF; i++) if ($(i+1) == "hosts/bound") r[$1] = $i }
  END { for (k in r) printf "  %-50s %s\n", k, r[k] }' "$raw" | sort
echo
echo "==> nova-plan serve: 200 clients listing a 10,000-VM workspace over loopback for 30 s (p50/p99 latency, errors)"
go test -run '^$' -bench BenchmarkListVMs200Clients -benchtime=30s ./server/api/ | tee -a "$raw"
echo
echo "==> medians (benchstat)"
go tool benchstat "$raw"
cat <<'TARGETS'

Targets (issue 2):
  PlanNoChanges10k   sec/op < 1 s and peak-RSS-MB < 300
  Apply10kLatency50ms x-ideal <= 1.2   (ideal: 10,000 × 50 ms / 100 = 5 s)
  Apply10kNoLatency  µs/VM < 200
Targets (issue 15), whole process, medians:
  PlanNoChanges10k   sec/op <= 0.12 s
  PlanNoChanges100k  sec/op <= 0.8 s and peak-RSS-MB <= 150
  Apply100kNoLatency sec/op <= 3 s   and peak-RSS-MB <= 400
  BestFit100kOn2500Hosts       (engine/place, packed) sec/op <= 0.2 s
  BestFit100kOn2500HostsSpread (engine/place, spread) sec/op <= 0.2 s
Targets (issue 18), engine/place:
  PlacementQuality/*/Vector    hosts/bound <= 1.03, and <= every FFD's on the same seed
  VectorPlaceP99On500Hosts     p99-µs/VM <= 50
  VectorReplace10kOn500Hosts   sec/op <= 1 s
TARGETS

echo
echo "==> Terraform provider: no-change plans of one novacron_fleet of 1,000 / 5,000 / 10,000 VMs beside nova-plan (issue 8),"
echo "    and one novacron_fleet of 1,000 VMs vs 1,000 novacron_vm (issue 4)"
scripts/bench-terraform.sh
