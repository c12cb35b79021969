package vsphere

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// twoFleetSpec is a good fleet and a fleet "bad" of the template mapping
// badMapping with the disk diskGB.
func twoFleetSpec(badMapping string, diskGB int) string {
	return fmt.Sprintf(`
provider "vsphere" "lab" {
  datacenter = "DC0"
  cluster    = "DC0_C0"
}
template "good" {
  vsphere { vm = "novacron-template" }
}
template "t" {
  vsphere {
    %s
  }
}
fleet "ok" {
  count     = 2
  template  = template.good
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
}
fleet "bad" {
  count     = 2
  template  = template.t
  cpu       = 1
  memory_gb = 1
  disk_gb   = %d
}
`, badMapping, diskGB)
}

// TestCreateCheckedAtPlan: what Create would refuse before it clones (an
// unknown template VM, a disk smaller than the template's, a linked clone
// that would grow its disk) fails plan and apply alike with one
// diagnostic at the fleet's template attribute naming the setting to
// change, and apply makes none of the spec's VMs, not even the good
// fleet's.
func TestCreateCheckedAtPlan(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	useSim(t, s)
	cases := []struct {
		name, mapping string
		disk          int
		want          []string
	}{
		{"unknown template", `vm = "no-such-template"`, 10, []string{`no VM template named "no-such-template"`, "set vm"}},
		{"disk smaller than the template's", `vm = "novacron-template"`, 5, []string{"smaller than the disk of template VM", "set disk_gb to at least 10"}},
		{"linked clone grown", "vm = \"novacron-template\"\n    linked_clone = true", 20, []string{"linked clone", "set disk_gb to 10", "linked_clone = false"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, twoFleetSpec(tc.mapping, tc.disk))
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
				r := nova.Run(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				want := append([]string{"VM cannot be created", `in fleet "bad"`, "template  = template.t", "fleet.bad[0]"}, tc.want...)
				for _, w := range want {
					if !strings.Contains(r.Stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
					}
				}
				if strings.Contains(r.Stderr, "or 0") {
					t.Errorf("%s: stderr advises a disk_gb of 0, which the spec language refuses:\n%s", cmd[0], r.Stderr)
				}
				if n := strings.Count(r.Stderr, "Error:"); n != 1 {
					t.Errorf("%s: %d diagnostics, want one:\n%s", cmd[0], n, r.Stderr)
				}
			}
			if n := vmCount(t, s); n != 0 {
				t.Errorf("%d VMs made by the refused apply", n)
			}
		})
	}
}
