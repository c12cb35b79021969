package plan

import (
	"iter"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// liveIndex indexes one provider's inventory by position: a VM is k, its
// place in the inventory's id order, and is made a *driver.VM only when
// read (vm). For an inventory of VMs that is a pointer into it; for one
// the driver lists as a table (driver.ReadCompact) it is a VM made for
// that call, so that a plan of 100,000 unchanged VMs never holds them all
// as VMs. Identity is k, never the pointer. A VM is found by id in order
// (find), without a map; the claimed marks are a slice, not a map.
type liveIndex struct {
	inv     driver.Inventory
	order   []int32 // positions in inv, sorted by ID
	byAddr  vmsBy   // VMs marked by this workspace's lineage
	byName  vmsBy   // built on first use (named): only a create looks a name up
	claimed []bool  // by k: the VM is matched to an address
}

// vmsBy maps a key (an address, a name) to the VMs that have it, in ID
// order. Nearly every key has one VM: it is kept without a slice of its own,
// so indexing an inventory costs no allocation per VM.
type vmsBy struct {
	first map[string]int32
	more  map[string][]int32 // the second and later VMs of a key
}

func newVMsBy(hint int) vmsBy {
	return vmsBy{first: make(map[string]int32, hint), more: map[string][]int32{}}
}

func (m vmsBy) add(key string, k int) {
	if _, ok := m.first[key]; !ok {
		m.first[key] = int32(k)
		return
	}
	m.more[key] = append(m.more[key], int32(k))
}

// all yields the VMs with key, in ID order.
func (m vmsBy) all(key string) iter.Seq[int] {
	return func(yield func(int) bool) {
		k, ok := m.first[key]
		if !ok || !yield(int(k)) {
			return
		}
		for _, k := range m.more[key] {
			if !yield(int(k)) {
				return
			}
		}
	}
}

// rename gives the address a marker's address stands for once moved
// blocks are followed (differ.renamed).
func newLiveIndex(inv driver.Inventory, provider, lineage string, st *state.State, rename func(string) string) *liveIndex {
	n := inv.Len()
	idx := &liveIndex{inv: inv, order: make([]int32, n), byAddr: newVMsBy(n), claimed: make([]bool, n)}
	for i := range idx.order {
		idx.order[i] = int32(i)
	}
	byID := func(a, b int32) int { return strings.Compare(inv.ID(int(a)), inv.ID(int(b))) }
	if !slices.IsSortedFunc(idx.order, byID) { // drivers often list in id order
		slices.SortStableFunc(idx.order, byID)
	}
	var vm driver.VM
	var m driver.Marker
	for k := range idx.order {
		idx.fill(k, &vm, &m)
		if owned(&vm, provider, lineage, st) {
			idx.byAddr.add(rename(m.Address), k)
		}
	}
	return idx
}

func (idx *liveIndex) len() int        { return len(idx.order) }
func (idx *liveIndex) id(k int) string { return idx.inv.ID(int(idx.order[k])) }

// vm returns VM k (driver.Inventory.At).
func (idx *liveIndex) vm(k int) *driver.VM { return idx.inv.At(int(idx.order[k])) }

// vmScratch is where view makes a VM of a table: the differ's, for the VM
// it compares (findLive) or checks (checkRecord), one at a time.
type vmScratch struct {
	vm driver.VM
	m  driver.Marker
}

// view returns VM k as vm does, except that a VM of a table is made in s,
// not anew: for a reader that keeps no pointer to it past the next view.
func (idx *liveIndex) view(k int, s *vmScratch) *driver.VM {
	if idx.inv.Table == nil {
		return idx.vm(k)
	}
	idx.fill(k, &s.vm, &s.m)
	return &s.vm
}

// fill sets *vm to VM k, its marker in *m, for a reader that keeps
// neither (driver.Inventory.Fill).
func (idx *liveIndex) fill(k int, vm *driver.VM, m *driver.Marker) {
	idx.inv.Fill(int(idx.order[k]), vm, m)
}

// find returns the k of the VM with id id: the last listed of several (a
// driver lists an id once).
func (idx *liveIndex) find(id string) (int, bool) {
	k, found := slices.BinarySearchFunc(idx.order, id, func(i int32, id string) int { return strings.Compare(idx.inv.ID(int(i)), id) })
	if !found {
		return 0, false
	}
	for k+1 < len(idx.order) && idx.id(k+1) == id {
		k++
	}
	return k, true
}

// byID returns the VM with id id (find), or nil.
func (idx *liveIndex) byID(id string) *driver.VM {
	if k, ok := idx.find(id); ok {
		return idx.vm(k)
	}
	return nil
}

// named returns the index of the VMs by name, building it on first use.
func (idx *liveIndex) named() vmsBy {
	if idx.byName.first == nil {
		idx.byName = newVMsBy(idx.len())
		var vm driver.VM
		var m driver.Marker
		for k := range idx.order {
			idx.fill(k, &vm, &m)
			idx.byName.add(vm.Name, k)
		}
	}
	return idx.byName
}
