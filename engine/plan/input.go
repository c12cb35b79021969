package plan

import (
	"iter"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Input is everything a diff looks at.
type Input struct {
	Spec *spec.Spec
	// State is the workspace's state; nil when it has none yet.
	State *state.State
	// Lineage is used when State is nil: it becomes the new state's.
	Lineage string
	// Inventories and Capabilities hold, per provider key, the bulk read
	// of every provider the spec or the state names.
	Inventories  map[string]driver.Inventory
	Capabilities map[string]driver.Capabilities
	Placer       place.Placer // nil: place.BestFit
	Destroy      bool
	Targets      []string // addresses: fleet.web, fleet.web[2], vm.db-01
	Replace      []string // instance addresses to replace
	// Imports are the VMs to import (the spec's import blocks, or the one
	// of `nova-plan import`).
	Imports []*spec.Import
	// ForceImport takes over VMs that carry another workspace's marker.
	ForceImport bool
	// CanonicalIDs holds, per provider key, the driver's spelling of a VM
	// id (driver.CanonicalID), false for text that is no id of its VMs.
	// Ids the plan did not get from an inventory (the state's, an
	// import's) are checked with it; a provider without one takes ids as
	// driver.CheckID does.
	CanonicalIDs map[string]func(id string) (string, bool)
	// Prices holds, per provider key, the driver's prices (driver.Pricer),
	// for sizing = "cheapest" and each change's cost; nil: none.
	Prices map[string]driver.Pricer
}

// liveIndex indexes one provider's inventory. A VM is found by id in vms
// (byID), without a map: at 100,000 VMs one was 2.6 MB of a plan's peak.
type liveIndex struct {
	byAddr vmsBy        // VMs marked by this workspace's lineage
	byName vmsBy        // built on first use (named): only a create looks a name up
	vms    []*driver.VM // sorted by ID
	// claimed marks the VMs of vms matched to an address (claim): a
	// slice and not a map, which was 1.5 MB at 100,000 VMs.
	claimed []bool
}

// vmsBy maps a key (an address, a name) to the VMs that have it, in ID
// order. Nearly every key has one VM: it is kept without a slice of its own,
// so indexing an inventory costs no allocation per VM.
type vmsBy struct {
	first map[string]*driver.VM
	more  map[string][]*driver.VM // the second and later VMs of a key
}

func newVMsBy(hint int) vmsBy {
	return vmsBy{first: make(map[string]*driver.VM, hint), more: map[string][]*driver.VM{}}
}

func (m vmsBy) add(k string, vm *driver.VM) {
	if m.first[k] == nil {
		m.first[k] = vm
		return
	}
	m.more[k] = append(m.more[k], vm)
}

// all yields the VMs with key k, in ID order.
func (m vmsBy) all(k string) iter.Seq[*driver.VM] {
	return func(yield func(*driver.VM) bool) {
		vm := m.first[k]
		if vm == nil || !yield(vm) {
			return
		}
		for _, vm := range m.more[k] {
			if !yield(vm) {
				return
			}
		}
	}
}

// rename gives the address a marker's address stands for once moved
// blocks are followed (differ.renamed).
func newLiveIndex(inv driver.Inventory, provider, lineage string, st *state.State, rename func(string) string) *liveIndex {
	idx := &liveIndex{
		byAddr: newVMsBy(len(inv.VMs)),
		vms:    make([]*driver.VM, 0, len(inv.VMs)),

		claimed: make([]bool, len(inv.VMs)),
	}
	for i := range inv.VMs {
		idx.vms = append(idx.vms, &inv.VMs[i])
	}
	if !slices.IsSortedFunc(idx.vms, compareIDs) { // drivers often list in id order
		slices.SortStableFunc(idx.vms, compareIDs)
	}
	for _, vm := range idx.vms {
		if owned(vm, provider, lineage, st) {
			idx.byAddr.add(rename(vm.Marker.Address), vm)
		}
	}
	return idx
}

func compareIDs(a, b *driver.VM) int { return strings.Compare(a.ID, b.ID) }

// byID returns the VM with id id, or nil: the last listed of several (a
// driver lists an id once).
func (idx *liveIndex) byID(id string) *driver.VM {
	i, found := slices.BinarySearchFunc(idx.vms, id, func(vm *driver.VM, id string) int { return strings.Compare(vm.ID, id) })
	if !found {
		return nil
	}
	for i+1 < len(idx.vms) && idx.vms[i+1].ID == id {
		i++
	}
	return idx.vms[i]
}

// claim marks vm as matched to an address; a VM not in the index is
// listed by no loop over it, and needs no mark.
func (idx *liveIndex) claim(vm *driver.VM) {
	i, _ := slices.BinarySearchFunc(idx.vms, vm.ID, func(vm *driver.VM, id string) int { return strings.Compare(vm.ID, id) })
	for ; i < len(idx.vms) && idx.vms[i].ID == vm.ID; i++ {
		if idx.vms[i] == vm {
			idx.claimed[i] = true
			return
		}
	}
}

// named returns the index of the VMs by name, building it on first use.
func (idx *liveIndex) named() vmsBy {
	if idx.byName.first == nil {
		idx.byName = newVMsBy(len(idx.vms))
		for _, vm := range idx.vms {
			idx.byName.add(vm.Name, vm)
		}
	}
	return idx.byName
}

// owned reports whether a VM carries this workspace's marker and was not
// abandoned with `state rm`.
func owned(vm *driver.VM, provider, lineage string, st *state.State) bool {
	return vm.Marker != nil && vm.Marker.Lineage == lineage && lineage != "" &&
		(st == nil || !st.IsAbandoned(provider, vm.ID))
}
