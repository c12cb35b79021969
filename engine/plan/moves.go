package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// The spec's moved and removed blocks act on the state before anything is
// compared. resolveMoves gives the diff a copy of the state with every
// moved VM recorded at its new address (chains followed to their end) and
// without the VMs a removed block forgets; the rest of the diff then
// plans as if the state had always said so. addMoves adds the move that
// makes it so (the marker rewritten to the new address, the state's
// record moved: engine/exec's adopt with MovedFrom, as `state mv` does),
// and marks every other change of a moved VM with its previous address;
// forgetRemoved adds the forgets.

// moving is what resolveMoves found, by the new address.
type moving struct {
	to    []string               // the new addresses, in the state's order of the old
	from  map[string]string      // new address → the address the state records
	block map[string]*spec.Moved // new address → the first moved block of its chain
	// forget holds the records a removed block with destroy = false
	// forgets, by address; removedBy the removed block of each address it
	// names (for the reason of a delete).
	forget    map[string]*state.VM
	removedBy map[string]*spec.Removed
	// byFrom and byFleet are the moved blocks by the VM or the whole fleet
	// they move.
	byFrom  map[addrs.Instance]*spec.Moved
	byFleet map[addrs.Fleet]*spec.Moved
	// modules are the moved blocks that move a module call or instance,
	// the innermost first.
	modules []*spec.Moved
	// ranges holds each moved block's range as text, made once.
	ranges map[*spec.Moved]string
	// implied maps the address a VM is at once the moved blocks moved it
	// to the address an implied move takes it on to (moves_implied.go).
	implied map[string]string
	// undeclared holds, by moved block, the VMs it moves to addresses the
	// spec does not declare, as "from → to" (moves_land.go).
	undeclared map[*spec.Moved][]string
	landBlocks []*spec.Moved
}

// at returns where a moved block is, as text.
func (m *moving) at(mv *spec.Moved) string {
	r, ok := m.ranges[mv]
	if !ok {
		if m.ranges == nil {
			m.ranges = map[*spec.Moved]string{}
		}
		r = mv.DeclRange.String()
		m.ranges[mv] = r
	}
	return r
}

// resolveMoves applies the spec's moved and removed blocks to a copy of
// the state, reporting moves the state contradicts: two VMs moved to one
// address, a VM moved to an address the state records for another VM, a
// chain that does not end.
func (d *differ) resolveMoves() {
	s := d.in.Spec
	if s == nil || (len(s.Moves)+len(s.Removed) == 0 && !d.mayImply()) {
		return
	}
	m := &moving{
		from: map[string]string{}, block: map[string]*spec.Moved{}, forget: map[string]*state.VM{},
		removedBy: map[string]*spec.Removed{}, byFrom: map[addrs.Instance]*spec.Moved{}, byFleet: map[addrs.Fleet]*spec.Moved{},
		implied: map[string]string{},
	}
	for _, mv := range s.Moves {
		switch {
		case mv.From.IsModule():
			m.modules = append(m.modules, mv)
		case mv.From.Whole:
			m.byFleet[mv.From.Instance.Fleet()] = mv
		default:
			m.byFrom[mv.From.Instance] = mv
		}
	}
	slices.SortStableFunc(m.modules, func(a, b *spec.Moved) int { // innermost first
		return b.From.Module().Depth() - a.From.Module().Depth()
	})
	d.moves = m
	d.keyOneVMMoves()
	var found []recorded
	vms := make(map[string]*state.VM, len(d.st.VMs))
	for _, addr := range d.stateAddrs() {
		rec := d.st.VMs[addr]
		a, err := addrs.ParseInstance(addr)
		if err != nil {
			vms[addr] = rec // state.Validate refused it: cannot happen
			continue
		}
		if r := d.removedBlock(a); r != nil {
			m.removedBy[addr] = r
			if !r.Destroy {
				m.forget[addr] = rec
				continue
			}
		}
		to, first, ok := d.follow(a)
		if !ok {
			vms[addr] = rec
			continue
		}
		found = append(found, recorded{addr: addr, to: to, first: first, rec: rec})
	}
	d.imply(found)
	d.checkMismatched(found)
	for _, f := range found {
		to := f.to.String()
		if t, ok := m.implied[to]; ok {
			to = t
		}
		if to == f.addr {
			vms[f.addr] = f.rec
			continue
		}
		d.land(f, to)
		d.moveRecord(vms, f.addr, to, f.first, f.rec)
	}
	d.warnLandings()
	d.st = &state.State{FormatVersion: d.st.FormatVersion, Lineage: d.st.Lineage, Serial: d.st.Serial, VMs: vms, Abandoned: d.st.Abandoned}
	d.addrs = nil
}

// moveRecord records rec, which the state records at from, at to in vms,
// refusing an address taken.
func (d *differ) moveRecord(vms map[string]*state.VM, from, to string, first *spec.Moved, rec *state.VM) {
	if other := d.st.VMs[to]; other != nil && d.movesOn(to) == to {
		d.errorf(toRange(first), "Move to an address the state records",
			"%s moves %s (VM %s) to %s, but the state already records VM %s at %s, and nothing moves it away. Remove that VM first (`nova-plan state rm %s`, or a removed block), or move it elsewhere.",
			upperFirst(blockText(first)), from, rec.ID, to, other.ID, to, to)
		return
	}
	if prev, taken := d.moves.from[to]; taken {
		d.errorf(toRange(first), "Two VMs moved to one address",
			"The moved blocks move both %s (by %s) and %s (by %s) to %s. An address holds one VM.",
			prev, byText(d.moves.block[to]), from, byText(first), to)
		return
	}
	d.moves.from[to], d.moves.block[to] = from, first
	d.moves.to = append(d.moves.to, to)
	// The record names its new fleet, so what is looked up by the fleet
	// (prevent_destroy, ignore_changes, drift rules, rollout, placement)
	// is the fleet the VM moves to.
	moved := *rec
	moved.Fleet = fleetOf(to)
	vms[to] = &moved
}

// movesOn returns where the moved blocks take an address the state
// records (itself when none moves it).
func (d *differ) movesOn(addr string) string {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return addr
	}
	if to, _, ok := d.follow(a); ok {
		addr = to.String()
	}
	if t, ok := d.moves.implied[addr]; ok {
		return t
	}
	return addr
}

// follow returns where the moved blocks take the VM at a, following
// chains, and the first block that moves it (nil: none does). It reports
// a chain that does not end (moved blocks that cycle through a fleet and
// one of its VMs, which the spec's own check cannot see).
func (d *differ) follow(a addrs.Instance) (addrs.Instance, *spec.Moved, bool) {
	var first *spec.Moved
	for range len(d.in.Spec.Moves) + 1 {
		mv := d.moveOf(a)
		if mv == nil {
			return a, first, true
		}
		if first == nil {
			first = mv
		}
		a = mv.From.Moved(a, mv.To)
	}
	d.errorf(first.FromRange.Ptr(), "Cyclic moves", "The moved blocks never stop moving %s: they lead it back to where it started. Moves must end at an address the spec declares.", a)
	return a, first, false
}

// moveOf returns the moved block that moves the VM at a, or nil.
func (d *differ) moveOf(a addrs.Instance) *spec.Moved {
	if mv := d.moves.byFrom[a]; mv != nil {
		return mv
	}
	if mv := d.moves.byFleet[a.Fleet()]; mv != nil {
		return mv
	}
	if a.Fleet().Module.IsRoot() {
		return nil
	}
	for _, mv := range d.moves.modules {
		if mv.From.Contains(a) {
			return mv
		}
	}
	return nil
}

// removedBlock returns the removed block that names the VM at a, or nil.
func (d *differ) removedBlock(a addrs.Instance) *spec.Removed {
	for _, r := range d.in.Spec.Removed {
		if r.From.Contains(a) {
			return r
		}
	}
	return nil
}

// renamed returns the address a marker's address is at once the moved
// blocks are followed: a VM whose marker still names its old address
// (the move was not applied yet, or stopped before it rewrote the marker)
// is found at its new one.
func (d *differ) renamed(addr string) string {
	if d.moves == nil || len(d.moves.from) == 0 {
		return addr
	}
	return d.movesOn(addr)
}

// addMoves adds the move of each VM the moved blocks moved, before its
// other changes, and marks those with the address it moved from. A VM
// deleted at its new address (it left the spec too) is not moved first:
// its delete forgets it at the old address.
func (d *differ) addMoves() {
	if d.moves == nil || len(d.moves.from) == 0 {
		return
	}
	deleted := map[string]bool{}
	for _, c := range d.plan.Changes {
		if from, ok := d.moves.from[c.Address]; ok {
			c.PreviousAddress = from
			deleted[c.Address] = deleted[c.Address] || c.Action == Delete
		}
	}
	var moves []*Change
	for _, to := range d.moves.to {
		if !deleted[to] {
			moves = append(moves, d.moveChange(to))
		}
	}
	d.plan.Changes = append(moves, d.plan.Changes...) // first: checkClaims reads each VM's changes in order

}

// moveChange is the move of the VM the state records at d.moves.from[to]:
// engine/exec's adopt with MovedFrom, which rewrites the marker (Imported)
// unless it already names to, or the VM is not in the inventory (then only
// the state moves).
func (d *differ) moveChange(to string) *Change {
	from, mv := d.moves.from[to], d.moves.block[to]
	rec := d.st.VMs[to]
	// Before and after: a move changes no attribute. They share the
	// record's tags, which nothing changes (Recorder.Set copies them).
	attrs := &Attrs{
		Provider: rec.Provider, Name: rec.Name, Host: rec.Host,
		CPU: rec.CPU, MemoryMiB: rec.MemoryMiB, DiskGB: rec.DiskGB, Power: driver.Power(rec.Power),
		Template: rec.Template, Tags: rec.Tags,
	}
	c := &Change{
		Address: to, Fleet: fleetOf(to), Action: Move, ID: rec.ID,
		Before: attrs, After: attrs, DependsOn: rec.DependsOn,
		Marker:    &driver.Marker{Address: to, Lineage: d.lineage, SpecHash: rec.SpecHash},
		MovedFrom: from, PreviousAddress: from,
		Reasons: []string{d.moveReason(from, to, mv)},
	}
	if f := d.fleet(c.Fleet); f != nil {
		c.DependsOn = f.DependsOn
	}
	var vm *driver.VM
	if idx := d.live[rec.Provider]; idx != nil {
		vm = idx.byID(rec.ID)
	}
	switch {
	case vm == nil:
		c.Reasons = append(c.Reasons, fmt.Sprintf("VM %s is not in the provider's inventory, so only the state moves", rec.ID))
	case vm.Marker != nil && vm.Marker.Address == to && vm.Marker.Lineage == d.lineage:
		c.Reasons = append(c.Reasons, "its ownership marker already names "+to)
	default:
		c.Imported = true // the marker is rewritten
	}
	return c
}

// moveReason says why the VM at from moves to to: a moved block, or an
// implied move (count added or removed).
func (d *differ) moveReason(from, to string, mv *spec.Moved) string {
	if mv != nil {
		return "moved from " + from + " by the moved block at " + d.moves.at(mv)
	}
	return "moved from " + from + ": an implied move, as " + fleetOf(to) + " gained or lost count (a moved block says otherwise)"
}

// blockText names a moved block, or an implied move (nil).
func blockText(mv *spec.Moved) string {
	if mv == nil {
		return "an implied move (count added or removed)"
	}
	return "the moved block at " + mv.DeclRange.String()
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// byText names a moved block as "the block at R", or an implied move.
func byText(mv *spec.Moved) string {
	if mv == nil {
		return "an implied move"
	}
	return "the block at " + mv.DeclRange.String()
}

// toRange is the range of a moved block's to, or nil for an implied move.
func toRange(mv *spec.Moved) *hcl.Range {
	if mv == nil {
		return nil
	}
	return mv.ToRange.Ptr()
}

// forgetRemoved adds a forget for each VM a removed block with destroy =
// false names: those the state records, and those that carry this
// workspace's marker for such an address without being in the state (a
// forget that stopped before it abandoned the VM).
func (d *differ) forgetRemoved() {
	if d.moves == nil {
		return
	}
	for _, addr := range addrKeys(d.moves.forget) {
		rec := d.moves.forget[addr]
		c := d.forgetChange(addr, rec.Fleet, rec.Provider, rec.ID, stateAttrs(rec))
		if idx := d.live[rec.Provider]; idx != nil {
			if k, ok := idx.find(rec.ID); ok {
				idx.claimed[k] = true
				c.Before = liveAttrs(rec.Provider, idx.vm(k))
			}
		}
		d.add(c)
	}
	for pk, idx := range d.live {
		for i := range idx.len() {
			if idx.claimed[i] {
				continue
			}
			vm := idx.vm(i)
			if !owned(vm, pk, d.lineage, d.st) {
				continue
			}
			a, err := addrs.ParseInstance(vm.Marker.Address)
			if r := d.removedBlock(a); err == nil && r != nil && !r.Destroy {
				idx.claimed[i] = true
				d.add(d.forgetChange(vm.Marker.Address, fleetOf(vm.Marker.Address), pk, vm.ID, liveAttrs(pk, vm)))
			}
		}
	}
}

func (d *differ) forgetChange(addr, fleet, pk, id string, before *Attrs) *Change {
	a, _ := addrs.ParseInstance(addr)
	r := d.removedBlock(a)
	before.Provider = pk
	return &Change{
		Address: addr, Fleet: fleet, Action: Forget, ID: id, Before: before,
		Reasons: []string{fmt.Sprintf("removed by the removed block at %s with destroy = false: its ownership marker is cleared and the state forgets the VM, so this workspace never adopts it again; the VM is left running as it is", r.DeclRange)},
	}
}

// removedReason is the reason of the delete of a VM the state records at
// addr: a removed block's, when one names it.
func (d *differ) removedReason(addr, reason string) string {
	if d.moves == nil {
		return reason
	}
	if r := d.moves.removedBy[addr]; r != nil {
		return fmt.Sprintf("removed by the removed block at %s (destroy = true)", r.DeclRange)
	}
	return reason
}

func addrKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range maps.Keys(m) {
		keys = append(keys, k)
	}
	addrs.SortStrings(keys)
	return keys
}
