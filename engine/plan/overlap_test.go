package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// twoProviders is a fleet of two on sim.lab, and a second sim provider
// that manages nothing.
const twoProviders = `
provider "sim" "dr" {}
fleet "web" {
  provider  = provider.sim.lab
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`

// TestDiffOverlappingProviders: a VM of this workspace that two providers
// of one type both list (one id, or one identity the driver declares) is
// a diagnostic naming both providers, never a delete by the one whose
// state does not record it, in plan and destroy alike. VMs of two
// providers that only share an id (two systems counting alike) are two
// VMs, and plan as before.
func TestDiffOverlappingProviders(t *testing.T) {
	tests := []struct {
		name    string
		dr      func(lab []driver.VM) []driver.VM // sim.dr's inventory
		destroy bool
		overlap bool
	}{
		{name: "the same VMs in both", dr: func(lab []driver.VM) []driver.VM { return lab }, overlap: true},
		{name: "the same VMs in both, destroy", dr: func(lab []driver.VM) []driver.VM { return lab }, destroy: true, overlap: true},
		{name: "one identity, other ids", overlap: true, dr: func(lab []driver.VM) []driver.VM {
			vm := lab[0]
			vm.ID, vm.Identity = "vm-9999", "uuid-1"
			return []driver.VM{vm}
		}},
		{name: "one id, other identities", dr: func(lab []driver.VM) []driver.VM {
			vm := lab[0]
			vm.Identity = "uuid-2"
			return []driver.VM{vm}
		}},
		{name: "one id, another address", dr: func(lab []driver.VM) []driver.VM {
			vm := lab[0]
			m := *vm.Marker
			m.Address = "fleet.other[0]"
			vm.Marker = &m
			return []driver.VM{vm}
		}},
		{name: "one id, no marker", dr: func(lab []driver.VM) []driver.VM {
			vm := lab[0]
			vm.Marker = nil
			return []driver.VM{vm}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, twoProviders)
			f.vms[0].Identity = "uuid-1"
			in := f.input()
			in.Destroy = tt.destroy
			in.Inventories["sim.dr"] = driver.Inventory{VMs: tt.dr(f.vms), Hosts: hosts(1)}
			in.Capabilities["sim.dr"] = simCaps
			p, diags := plan.Diff(in)
			if !tt.overlap {
				if diags.HasErrors() || p == nil {
					t.Fatalf("Diff: %s", diagText(diags))
				}
				return
			}
			if p != nil {
				t.Errorf("a plan was made: %+v", rows(p))
			}
			if len(diags) == 0 {
				t.Fatal("no diagnostic")
			}
			got := diagRows(diags)[0]
			if got.Summary != "Providers' scopes overlap" || got.Subject == "" ||
				!strings.Contains(got.Detail, "provider sim.dr") || !strings.Contains(got.Detail, "provider sim.lab") ||
				!strings.Contains(got.Detail, "their scopes overlap") {
				t.Errorf("diagnostic:\n%s", cmp.Diff(diagRow{}, got))
			}
		})
	}
}
