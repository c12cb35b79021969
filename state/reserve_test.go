package state_test

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/state"
)

// TestReserve: Reserve keeps what the state records, and a state that
// reserved room for its new VMs takes them with fewer allocations than
// one whose map grows as they come; fewer new VMs than it has reserve
// nothing (the map is not copied).
func TestReserve(t *testing.T) {
	const n = 4096
	addrs := make([]string, n)
	vm := &state.VM{Provider: "sim.lab", ID: "vm-1", Name: "a"}
	for i := range addrs {
		addrs[i] = fmt.Sprintf("fleet.web[%d]", i)
	}
	fill := func(reserve bool) float64 {
		return testing.AllocsPerRun(3, func() {
			s := state.New("l")
			if reserve {
				s.Reserve(n)
			}
			for _, a := range addrs {
				s.VMs[a] = vm
			}
		})
	}
	if grown, reserved := fill(false), fill(true); reserved >= grown {
		t.Errorf("inserting %d VMs allocates %.0f times after Reserve, %.0f times without", n, reserved, grown)
	}

	s := state.New("l")
	s.VMs["fleet.db"] = vm
	s.Reserve(10)
	if len(s.VMs) != 1 || s.VMs["fleet.db"] != vm {
		t.Errorf("after Reserve the state records %v", s.VMs)
	}
	big := state.New("l")
	for _, a := range addrs {
		big.VMs[a] = vm
	}
	if allocs := testing.AllocsPerRun(3, func() { big.Reserve(10) }); allocs != 0 {
		t.Errorf("Reserve of 10 VMs on a state of %d allocated %.0f times; want none", n, allocs)
	}
}
