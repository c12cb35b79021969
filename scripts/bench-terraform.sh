#!/usr/bin/env bash
# make bench (via scripts/bench.sh): terraform apply of 1,000 VMs on the
# sim backend, on this machine, two ways:
#   (a) one novacron_fleet with instance_count = 1000
#   (b) 1,000 novacron_vm resources (count = 1000)
# Each is a real `terraform apply -auto-approve` of a fresh workspace with
# the provider built from this tree and installed by dev_overrides. Prints
# both wall times and the ratio; the target is (b)/(a) >= 10. BENCH_VMS
# changes the number of VMs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-terraform.sh >/dev/null
n=${BENCH_VMS:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/terraform-provider-novacron" ./cmd/terraform-provider-novacron
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
    host_cpu       = 256
    host_memory_gb = 1024
  }
}
TF
}

mkdir -p "$work/fleet" "$work/vms"
{ header; cat <<TF; } >"$work/fleet/main.tf"
resource "novacron_fleet" "app" {
  backend        = "bench"
  name           = "app"
  instance_count = $n
  template       = { image = "base" }
  cpu            = 1
  memory_gb      = 1
  tags           = { tier = "app" }
}
TF
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

# apply DIR: wall seconds of terraform apply in DIR.
apply() {
  local start end
  start=$(date +%s.%N)
  terraform -chdir="$1" apply -auto-approve -no-color >"$1/apply.log" 2>&1 || { tail -n 30 "$1/apply.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "==> terraform apply of $n VMs on the sim backend ($(nproc) cores), $(terraform version | sed -n 1p)"
fleet=$(apply "$work/fleet")
printf '  (a) one novacron_fleet, instance_count = %d : %8.2f s\n' "$n" "$fleet"
vms=$(apply "$work/vms")
printf '  (b) %d novacron_vm resources (count)     : %8.2f s\n' "$n" "$vms"
ratio=$(echo "scale=1; $vms / $fleet" | bc)
echo "  ratio (b)/(a): ${ratio}x   (target: >= 10x)"
for d in fleet vms; do
  terraform -chdir="$work/$d" plan -detailed-exitcode -no-color >/dev/null 2>&1 || { echo "the $d workspace is not converged after apply" >&2; exit 1; }
done
if [ "$(echo "$ratio >= 10" | bc)" -eq 1 ]; then
  echo "  target met"
else
  echo "  TARGET MISSED: the fleet resource is less than 10x faster (a loaded machine skews both runs; run again)"
fi
