package place_test

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// TestBatchPlacesFewestHostsFirst: a batch whose VMs can all be placed
// only if the VMs with the fewest usable hosts go first places them all,
// in either order of the batch.
func TestBatchPlacesFewestHostsFirst(t *testing.T) {
	const gib = 1024
	hosts := func() []driver.Host {
		return []driver.Host{
			{Name: "hv-01", CPU: 8, MemoryMiB: 32 * gib, Labels: map[string]string{"db": "yes"}},
			{Name: "hv-02", CPU: 8, MemoryMiB: 32 * gib},
		}
	}
	db := place.VM{Address: "fleet.db[0]", Group: "fleet.db", CPU: 2, MemoryMiB: 4 * gib, Labels: map[string]string{"db": "yes"}}
	filler := place.VM{Address: "fleet.filler[0]", Group: "fleet.filler", CPU: 8, MemoryMiB: 8 * gib, Avoid: []string{"fleet.db"}}
	big := place.VM{Address: "fleet.big[0]", Group: "fleet.big", CPU: 6, MemoryMiB: 8 * gib}
	spread := func(i string) place.VM {
		return place.VM{Address: "fleet.web[" + i + "]", Group: "fleet.web", CPU: 2, MemoryMiB: 4 * gib, Spread: true}
	}
	labelled := place.VM{Address: "fleet.only[0]", Group: "fleet.only", CPU: 8, MemoryMiB: 8 * gib, Labels: map[string]string{"db": "yes"}}
	tests := []struct {
		name string
		vms  []place.VM
		want map[string]string
	}{
		{"labelled VM an avoider avoids goes before the bigger avoider", []place.VM{filler, db},
			map[string]string{"fleet.db[0]": "hv-01", "fleet.filler[0]": "hv-02"}},
		{"same, other order", []place.VM{db, filler},
			map[string]string{"fleet.db[0]": "hv-01", "fleet.filler[0]": "hv-02"}},
		{"labelled VM before a spread fleet", []place.VM{spread("0"), spread("1"), labelled},
			map[string]string{"fleet.only[0]": "hv-01", "fleet.web[0]": "hv-02", "fleet.web[1]": "hv-02"}},
		{"labelled VM before an unrestricted bigger one", []place.VM{big, db, filler},
			map[string]string{"fleet.db[0]": "hv-01", "fleet.filler[0]": "hv-02", "fleet.big[0]": "hv-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := place.NewCluster(hosts())
			ds := place.Vector{}.PlaceAll(c, tt.vms)
			for i, d := range ds {
				addr := tt.vms[i].Address
				if d.Host != tt.want[addr] {
					t.Errorf("%s placed on %q, want %q (rejections %v)", addr, d.Host, tt.want[addr], d.Rejected)
				}
			}
		})
	}
}
