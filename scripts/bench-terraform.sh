#!/usr/bin/env bash
# make bench (via scripts/bench.sh): the Terraform provider on the sim
# backend, on this machine, with the provider built from this tree and
# installed by dev_overrides (real terraform processes, fresh workspaces).
#
#   1. A no-change `terraform plan` of one novacron_fleet of 1,000, 5,000
#      and 10,000 VMs (BENCH_FLEET_SIZES), each run BENCH_RUNS times
#      (default 3): the median wall time, CPU time (terraform and the
#      provider) and peak RSS, beside a no-change `nova-plan plan` of the
#      same fleet. Targets: 5,000 VMs under 10 s, 10,000 under 20 s, memory
#      growing linearly.
#   2. terraform apply of BENCH_VMS (default 1,000) VMs two ways: one
#      novacron_fleet, and as many novacron_vm resources (count). Target:
#      the fleet at least 10x faster.
#
# The machine is shared and noisy: compare ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-terraform.sh >/dev/null
if [ ! -x /usr/bin/time ]; then
  echo "bench-terraform: GNU time (/usr/bin/time, Debian package \"time\") is missing; it measures CPU time and peak RSS" >&2
  exit 1
fi
sizes=${BENCH_FLEET_SIZES:-1000 5000 10000}
runs=${BENCH_RUNS:-3}
n=${BENCH_VMS:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/terraform-provider-novacron" ./cmd/terraform-provider-novacron
go build -o "$work/nova-plan" ./cmd/nova-plan
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "novacron/novacron" = "$work/bin"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

header() {
  cat <<TF
terraform {
  required_providers {
    novacron = { source = "novacron/novacron" }
  }
}
provider "novacron" {
  sim {
    name           = "bench"
    hosts          = 20
    host_cpu       = 2048
    host_memory_gb = 8192
  }
}
TF
}

fleet_tf() {
  header
  cat <<TF
resource "novacron_fleet" "app" {
  backend        = "bench"
  name           = "app"
  instance_count = $1
  template       = { image = "base" }
  cpu            = 1
  memory_gb      = 1
  tags           = { tier = "app" }
}
TF
}

fleet_nova() {
  cat <<HCL
provider "sim" "bench" {
  hosts          = 20
  host_cpu       = 2048
  host_memory_gb = 8192
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
HCL
}

# measure DIR WANT CMD...: runs CMD in DIR, which must exit WANT, and
# sets wall (s), cpu (s, user and system, the provider's included) and
# rss (MB, the largest process).
measure() {
  local dir=$1 want=$2 code=0
  shift 2
  (cd "$dir" && /usr/bin/time -o "$dir/time.out" -f "%e %U %S %M" "$@" >"$dir/run.log" 2>&1) || code=$?
  if [ "$code" -ne "$want" ]; then
    tail -n 30 "$dir/run.log" >&2
    echo "bench-terraform: $* in $dir exited $code, want $want" >&2
    exit 1
  fi
  read -r wall cpu rss < <(awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$dir/time.out")
}

# median_of DIR WANT CMD...: measure, $runs times; sets wall, cpu and rss
# to the run of median wall time.
median_of() {
  local results=()
  for _ in $(seq "$runs"); do
    measure "$@"
    results+=("$wall $cpu $rss")
  done
  read -r wall cpu rss < <(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
}

echo "==> no-change plan of one fleet on the sim backend ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)), $(terraform version | sed -n 1p), median of $runs"
printf '  %8s | %-28s | %-28s\n' "VMs" "terraform plan (1 fleet)" "nova-plan plan"
printf '  %8s | %8s %8s %8s | %8s %8s %8s\n' "" "wall s" "cpu s" "RSS MB" "wall s" "cpu s" "RSS MB"
verdict=met
for size in $sizes; do
  tf="$work/tf-$size" nova="$work/nova-$size"
  mkdir -p "$tf" "$nova"
  fleet_tf "$size" >"$tf/main.tf"
  fleet_nova "$size" >"$nova/main.nova.hcl"
  measure "$tf" 0 terraform apply -auto-approve -no-color
  measure "$nova" 0 "$work/nova-plan" apply -auto-approve -parallelism=100
  median_of "$tf" 0 terraform plan -detailed-exitcode -no-color
  tw=$wall tc=$cpu tm=$rss
  median_of "$nova" 0 "$work/nova-plan" plan -detailed-exitcode
  nw=$wall nc=$cpu nm=$rss
  printf '  %8d | %8.2f %8.2f %8d | %8.2f %8.2f %8d\n' "$size" "$tw" "$tc" "$tm" "$nw" "$nc" "$nm"
  limit=$((size / 500)) # the targets: 10 s at 5,000 VMs, 20 s at 10,000
  if [ "$size" -ge 5000 ] && [ "$(echo "$tw >= $limit" | bc)" -eq 1 ]; then verdict="MISSED at $size VMs (limit $limit s)"; fi
done
echo "  targets: 5,000 VMs under 10 s, 10,000 under 20 s: $verdict"
echo

mkdir -p "$work/fleet" "$work/vms"
fleet_tf "$n" >"$work/fleet/main.tf"
{ header; cat <<TF; } >"$work/vms/main.tf"
resource "novacron_vm" "app" {
  count     = $n
  backend   = "bench"
  name      = "app-\${count.index}"
  template  = { image = "base" }
  cpu       = 1
  memory_gb = 1
  tags      = { tier = "app" }
}
TF

echo "==> terraform apply of $n VMs on the sim backend"
measure "$work/fleet" 0 terraform apply -auto-approve -no-color
fleet=$wall
printf '  (a) one novacron_fleet, instance_count = %d : %8.2f s\n' "$n" "$fleet"
measure "$work/vms" 0 terraform apply -auto-approve -no-color
vms=$wall
printf '  (b) %d novacron_vm resources (count)     : %8.2f s\n' "$n" "$vms"
ratio=$(echo "scale=1; $vms / $fleet" | bc)
echo "  ratio (b)/(a): ${ratio}x   (target: >= 10x)"
for d in fleet vms; do
  measure "$work/$d" 0 terraform plan -detailed-exitcode -no-color
done
if [ "$(echo "$ratio >= 10" | bc)" -eq 1 ]; then
  echo "  target met"
else
  echo "  TARGET MISSED: the fleet resource is less than 10x faster (a loaded machine skews both runs; run again)"
fi
