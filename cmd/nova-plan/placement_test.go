package main

import (
	"strings"
	"testing"
)

// placementSpec has sim hosts with racks, disks and labels, and fleets
// using every setting of the placement block.
const placementSpec = `provider "sim" "lab" {
  hosts        = 6
  host_disk_gb = 500
  host_labels = {
    "hv-01" = "rack=r1"
    "hv-02" = "rack=r1,ssd=true"
    "hv-03" = "rack=r2"
    "hv-04" = "rack=r2,ssd=true"
    "hv-05" = "rack=r3"
    "hv-06" = "rack=r3,ssd=true"
  }
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "db" {
  template  = template.ubuntu
  cpu       = 8
  memory_gb = 32
  disk_gb   = 400
  placement_host_placeholder
}

fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  disk_gb   = 20
  placement {
    spread_by          = "rack"
    avoid_same_host_as = [vm.db]
  }
}

fleet "cache" {
  count     = 4
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 16
  disk_gb   = 150
  placement { host_labels = { ssd = "true" } }
}
`

// TestPlacementThroughTheBinary plans fleets with racks, anti-affinity,
// host labels and disk on the sim through the built binary (golden plan),
// then a fleet no host can take: exit 1, naming the closest hosts.
func TestPlacementThroughTheBinary(t *testing.T) {
	dir := newDir(t, strings.ReplaceAll(placementSpec, "placement_host_placeholder", `host      = "hv-02"`))
	golden(t, "placement.txt", nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout)

	big := strings.ReplaceAll(placementSpec, "placement_host_placeholder", "") + `
fleet "big" {
  count     = 2
  template  = template.ubuntu
  cpu       = 8
  memory_gb = 16
  disk_gb   = 600
}
`
	dir = newDir(t, big)
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan of a fleet no host can take")
	golden(t, "placement-unplaceable.txt", r.Stderr)
}
