package plan

import (
	"fmt"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/state"
)

// StaleError says why a saved plan cannot be applied any more.
type StaleError struct{ Reason string }

func (e *StaleError) Error() string {
	return "saved plan is stale: " + e.Reason + ". Run plan again and apply the new plan"
}

// CheckFresh refuses a plan made against another state or other live VMs
// and hosts: the state it was made against must be the current one, and the
// inventories must have the fingerprint the plan recorded.
func (p *Plan) CheckFresh(st *state.State, inventories map[string]driver.Inventory) error {
	if reason := p.stateChange(st); reason != "" {
		return &StaleError{reason}
	}
	fp := FingerprintOf(inventories, p.Lineage, st)
	if reason := p.inventoryChange(fp, inventories, st); reason != "" {
		return &StaleError{reason}
	}
	return nil
}

// CheckState is CheckFresh's check of the state alone, for a face that
// has no inventory at hand newer than the plan.
func (p *Plan) CheckState(st *state.State) error {
	if reason := p.stateChange(st); reason != "" {
		return &StaleError{reason}
	}
	return nil
}

func (p *Plan) stateChange(st *state.State) string {
	switch {
	case st == nil && p.StateExists:
		return "the state it was made against no longer exists"
	case st != nil && !p.StateExists:
		return fmt.Sprintf("the workspace had no state when it was made, and now has (serial %d)", st.Serial)
	case st != nil && st.Lineage != p.Lineage:
		return fmt.Sprintf("it was made for state lineage %s, and the state is lineage %s", p.Lineage, st.Lineage)
	case st != nil && st.Serial != p.StateSerial:
		return fmt.Sprintf("the state changed since it was made (serial %d, now %d)", p.StateSerial, st.Serial)
	}
	return ""
}

// inventoryChange says what differs between the plan's fingerprint and fp:
// the VMs the workspace manages, then the hosts, then the other VMs.
func (p *Plan) inventoryChange(fp Fingerprint, inventories map[string]driver.Inventory, st *state.State) string {
	old := p.InventoryFingerprint
	if fp.Managed != old.Managed {
		return "the VMs it covers changed since it was made"
	}
	providers := slices.Sorted(maps.Keys(fp.Hosts))
	if !slices.Equal(providers, slices.Sorted(maps.Keys(old.Hosts))) {
		return "the providers it covers changed since it was made"
	}
	for _, pk := range providers {
		if r := hostChange(pk, old.Hosts[pk], fp.Hosts[pk]); r != "" {
			return r
		}
	}
	for _, pk := range providers {
		if fp.Others[pk] != old.Others[pk] {
			return p.othersChange(pk, inventories[pk], st)
		}
	}
	return ""
}

// hostChange names the first host of a provider that appeared, left or
// changed capacity; "" when none did.
func hostChange(pk string, was, now []HostCapacity) string {
	before := map[string]HostCapacity{}
	for _, h := range was {
		before[h.Name] = h
	}
	for _, h := range now {
		b, ok := before[h.Name]
		switch {
		case !ok:
			return fmt.Sprintf("host %s of provider %s is new since it was made, and placement depends on the hosts", h.Name, pk)
		case b != h:
			return fmt.Sprintf("the capacity of host %s of provider %s changed since it was made (%s, now %s)", h.Name, pk, capacity(b), capacity(h))
		}
		delete(before, h.Name)
	}
	for _, h := range was {
		if _, gone := before[h.Name]; gone {
			return fmt.Sprintf("host %s of provider %s is gone since it was made", h.Name, pk)
		}
	}
	return ""
}

func capacity(h HostCapacity) string {
	s := fmt.Sprintf("%d vCPU and %s", h.CPU, place.FormatMiB(h.MemoryMiB))
	if h.DiskGiB > 0 {
		s += fmt.Sprintf(", %d GiB of disk", h.DiskGiB)
	}
	if h.Labels != "" {
		s += ", labels " + h.Labels
	}
	return s
}

// othersChange explains a change of the VMs a provider has that the
// workspace does not manage: a VM that took a name the plan creates, a VM
// the plan imports that changed, or else the change in general.
func (p *Plan) othersChange(pk string, inv driver.Inventory, st *state.State) string {
	recorded := map[string]bool{}
	if st != nil {
		for _, rec := range st.VMs {
			recorded[rec.Provider+"\x00"+rec.ID] = true
		}
	}
	byName, byID := map[string]*driver.VM{}, map[string]*driver.VM{}
	for i := range inv.Len() {
		vm := inv.At(i)
		byID[vm.ID] = vm
		if !owned(vm, pk, p.Lineage, st) && !recorded[pk+"\x00"+vm.ID] {
			byName[vm.Name] = vm
		}
	}
	for _, c := range p.Changes {
		switch {
		case c.Provider() != pk:
		case c.Action == Adopt && c.Imported && byID[c.ID] == nil:
			return fmt.Sprintf("VM %s, which it imports into %s, no longer exists on provider %s", c.ID, c.Address, pk)
		case c.Action == Adopt && c.Imported:
			if vm := byID[c.ID]; !sameVM(vm, c.Before) {
				return fmt.Sprintf("VM %s, which it imports into %s, changed since it was made", c.ID, c.Address)
			}
		case takesName(c) && byName[c.After.Name] != nil:
			return fmt.Sprintf("a VM named %s (%s) now exists on provider %s, and the plan creates %s with that name",
				c.After.Name, byName[c.After.Name].ID, pk, c.Address)
		}
	}
	return fmt.Sprintf("VMs on provider %s that this workspace does not manage were created, deleted, resized, moved or re-marked since it was made; "+
		"the plan's name checks and placement depend on them", pk)
}

// takesName reports whether a change makes a VM with a name no VM of the
// address had: the plan checked that no other VM has it.
func takesName(c *Change) bool {
	return c.Action == Create || (c.Action == Replace && c.Before.Name != c.After.Name)
}

func sameVM(vm *driver.VM, a *Attrs) bool {
	b := liveAttrs(a.Provider, vm)
	return b.Name == a.Name && b.Host == a.Host && b.CPU == a.CPU && b.MemoryMiB == a.MemoryMiB &&
		b.DiskGB == a.DiskGB && b.Power == a.Power && b.Template == a.Template && maps.Equal(b.Tags, a.Tags)
}
