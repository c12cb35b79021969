package exec

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// fromVM is the change's after attributes corrected by what the driver
// reports (a host the driver chose, say). It shares the tags of c.After.
func fromVM(c *plan.Change, vm driver.VM) *plan.Attrs {
	a := new(*c.After)
	if vm.Host != "" {
		a.Host = vm.Host
	}
	if vm.Power != "" {
		a.Power = vm.Power
	}
	if vm.Template != "" {
		a.Template = vm.Template
	}
	return a
}

// stateVM is the state record of an address after a change, sharing the
// tags of a and the dependencies of c (Recorder.Set copies them).
func stateVM(c *plan.Change, a *plan.Attrs, id string) *state.VM {
	vm := &state.VM{
		Provider: a.Provider, ID: id, Fleet: c.Fleet, Name: a.Name, Host: a.Host,
		CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB, Power: string(a.Power),
		Template: a.Template, Tags: a.Tags, DependsOn: c.DependsOn,
	}
	if c.Marker != nil {
		vm.SpecHash = c.Marker.SpecHash
	}
	return vm
}
