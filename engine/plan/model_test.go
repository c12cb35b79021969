package plan_test

import (
	"fmt"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// world is the data a diff reads, as plain values the tests can change:
// live VMs per provider, and state. apply plays a plan on it the way the
// executor would, without drivers.
type world struct {
	vms    map[string]map[string]driver.VM // provider → ID → VM
	hosts  []driver.Host
	state  *state.State
	nextID int
}

func (w *world) inventories() map[string]driver.Inventory {
	out := map[string]driver.Inventory{}
	for p, vms := range w.vms {
		inv := driver.Inventory{Hosts: w.hosts}
		for _, id := range slices.Sorted(maps.Keys(vms)) {
			inv.VMs = append(inv.VMs, vms[id])
		}
		out[p] = inv
	}
	return out
}

func (w *world) put(provider string, vm driver.VM) {
	if w.vms[provider] == nil {
		w.vms[provider] = map[string]driver.VM{}
	}
	w.vms[provider][vm.ID] = vm
}

// apply plays the plan's changes in order.
func (w *world) apply(p *plan.Plan) error {
	for _, c := range p.Changes {
		if err := w.applyOne(c); err != nil {
			return fmt.Errorf("%s %s: %w", c.Action, c.Address, err)
		}
	}
	return nil
}

func (w *world) applyOne(c *plan.Change) error {
	switch c.Action {
	case plan.Create:
		w.create(c)
	case plan.Replace:
		delete(w.vms[c.Before.Provider], c.ID) // deleting a missing VM succeeds
		w.create(c)
	case plan.Delete:
		delete(w.vms[c.Before.Provider], c.ID) // deleting a missing VM succeeds
		if rec := w.state.VMs[c.Address]; rec != nil && rec.ID == c.ID {
			delete(w.state.VMs, c.Address)
		}
	case plan.Update, plan.Start, plan.Stop, plan.Migrate:
		vm, ok := w.vms[c.Before.Provider][c.ID]
		if !ok {
			return fmt.Errorf("no VM %s", c.ID)
		}
		a := c.After
		if c.Action == plan.Migrate {
			vm.Host = a.Host
		} else {
			vm.CPU, vm.MemoryMiB, vm.DiskGB, vm.Power, vm.Tags = a.CPU, a.MemoryMiB, a.DiskGB, a.Power, maps.Clone(a.Tags)
		}
		w.put(c.Before.Provider, vm)
		w.record(c, vm)
	case plan.Adopt:
		vm, ok := w.vms[c.Before.Provider][c.ID]
		if !ok {
			return fmt.Errorf("no VM %s", c.ID)
		}
		w.record(c, vm)
	default:
		return fmt.Errorf("unknown action")
	}
	return nil
}

func (w *world) create(c *plan.Change) {
	a := c.After
	w.nextID++
	vm := driver.VM{
		ID: fmt.Sprintf("new-%04d", w.nextID), Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB,
		DiskGB: a.DiskGB, Power: a.Power, Template: a.Template, Tags: maps.Clone(a.Tags), Marker: new(*c.Marker),
	}
	if vm.Host == "" {
		vm.Host = w.hosts[0].Name
	}
	w.put(a.Provider, vm)
	w.record(c, vm)
}

// record saves what the executor saves: the change's after attributes,
// with what the driver reports where it tells.
func (w *world) record(c *plan.Change, vm driver.VM) {
	a := c.After
	rec := &state.VM{
		Provider: a.Provider, ID: vm.ID, Fleet: c.Fleet, Name: a.Name, Host: vm.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB,
		DiskGB: a.DiskGB, Power: string(vm.Power), Template: a.Template, Tags: maps.Clone(a.Tags), DependsOn: slices.Clone(c.DependsOn),
	}
	if vm.Template != "" {
		rec.Template = vm.Template
	}
	if c.Marker != nil {
		rec.SpecHash = c.Marker.SpecHash
	}
	w.state.VMs[c.Address] = rec
}
