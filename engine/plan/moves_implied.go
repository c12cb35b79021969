package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Implied moves (as Terraform makes them): a fleet that gains count keeps
// the VM the state records without a key as its [0], and a fleet that
// loses count keeps its [0] as its one VM, when the state does not record
// the address already. Explicit moved blocks act first and win: an implied
// move only takes on a VM from where they leave it.

// recorded is a VM the state records at addr, and where the moved blocks take
// it (to; first is the first block of the chain, nil when none moves it).
type recorded struct {
	addr  string
	to    addrs.Instance
	first *spec.Moved
	rec   *state.VM
}

// mayImply reports whether the state records an address the spec does not
// declare: only then can a move be implied. When the spec declares as many
// of the state's addresses as the state records (the spec's addresses are
// distinct), it declares them all, and the map of the instances the plan
// wants (3 MB at 100,000 VMs) is not made for that.
func (d *differ) mayImply() bool {
	if d.in.Destroy {
		return false
	}
	if d.declaresState() {
		return false
	}
	w := d.wanted()
	for addr := range d.st.VMs {
		if w[addr] == nil {
			return true
		}
	}
	return false
}

// declaresState reports whether the spec declares every address the state
// records.
func (d *differ) declaresState() bool {
	if d.in.Spec == nil {
		return len(d.st.VMs) == 0
	}
	n := 0
	for _, f := range d.in.Spec.Fleets {
		for _, inst := range f.Instances {
			if d.st.VMs[inst.Address] != nil {
				n++
			}
		}
	}
	return n == len(d.st.VMs)
}

// imply records in d.moves.implied the implied move of each VM the moved
// blocks leave at an address the spec does not declare, where the spec
// declares the same VM with or without the key [0] and no other VM lands
// there.
func (d *differ) imply(found []recorded) {
	if d.in.Destroy {
		return
	}
	w := d.wanted()
	landed := make(map[string]bool, len(found))
	for _, f := range found {
		landed[f.to.String()] = true
	}
	for _, f := range found {
		at := f.to.String()
		if w[at] != nil {
			continue
		}
		t, ok := d.impliedTarget(f.to)
		if !ok || landed[t] || d.st.VMs[t] != nil {
			continue
		}
		d.moves.implied[at] = t
		landed[t] = true
	}
}

// impliedTarget returns where an implied move takes the VM at a, an
// address the spec does not declare: fleet.x to fleet.x[0] once x has
// count, fleet.x[0] to fleet.x once it has neither count nor for_each.
func (d *differ) impliedTarget(a addrs.Instance) (string, bool) {
	f := d.fleet(a.Fleet().String())
	if f == nil || f.Kind != spec.KindFleet || f.ForEach {
		return "", false
	}
	_, counted := f.AttrRanges["count"]
	var t addrs.Instance
	i, isInt := a.Key().Int()
	switch {
	case counted && a.Key().IsNone():
		t = a.Fleet().Instance(addrs.IntKey(0))
	case !counted && isInt && i == 0:
		t = a.Fleet().Instance(addrs.NoKey)
	default:
		return "", false
	}
	s := t.String()
	return s, d.wanted()[s] != nil
}

// keyOneVMMoves points each moved block whose from names one VM of a fleet
// without a key (fleet.x, written without an index beside a VM) at the VM
// the state records, when the state records none without a key but
// exactly one of fleet.x with one; more than one is a mismatched move.
func (d *differ) keyOneVMMoves() {
	for _, mv := range d.in.Spec.Moves { // in source order: the errors too
		if mv.From.IsModule() || mv.From.Whole {
			continue
		}
		from := mv.From.Instance
		if !from.Key().IsNone() || from.Fleet().Kind != addrs.KindFleet || d.st.VMs[from.String()] != nil {
			continue
		}
		held := d.recordedIn(from.Fleet().String())
		switch {
		case len(held) == 1:
			if a, err := addrs.ParseInstance(held[0]); err == nil && d.moves.byFrom[a] == nil {
				d.moves.byFrom[a] = mv
			}
		case len(held) > 1:
			d.errorf(mv.FromRange.Ptr(), "Mismatched move",
				"The moved block at %s moves %s, one VM, to %s, one VM, but the state records %d VMs of %s: %s. Move them one by one (from = %s), or to a fleet with count or for_each.",
				mv.DeclRange, mv.From, mv.To, len(held), from.Fleet(), strings.Join(held, ", "), held[0])
		}
	}
}

// recordedIn returns the addresses the state records in the fleet at
// fleet, sorted.
func (d *differ) recordedIn(fleet string) []string {
	var held []string
	for _, addr := range d.stateAddrs() {
		if d.st.VMs[addr].Fleet == fleet {
			held = append(held, addr)
		}
	}
	return held
}

// checkMismatched refuses a whole fleet's move that lands VMs with keys of
// another kind than its destination's (fleet.x with count moved to fleet.y
// without), which no implied move resolved: each would be deleted at its
// new address and created again.
func (d *differ) checkMismatched(found []recorded) {
	if d.in.Destroy {
		return
	}
	held := map[*spec.Moved][]string{}
	bad := map[*spec.Moved]bool{}
	var blocks []*spec.Moved
	for _, f := range found {
		mv := f.first
		if mv == nil || !mv.From.Whole || mv.From.IsModule() || !mv.To.Whole {
			continue
		}
		fl := d.fleet(f.to.Fleet().String())
		if fl == nil || keyKind(fl) == keyKindOf(f.to.Key()) {
			continue
		}
		if held[mv] == nil {
			blocks = append(blocks, mv)
		}
		held[mv] = append(held[mv], f.addr)
		if _, ok := d.moves.implied[f.to.String()]; !ok {
			bad[mv] = true // an implied move did not take it on
		}
	}
	blocks = slices.DeleteFunc(blocks, func(mv *spec.Moved) bool { return !bad[mv] })
	for _, mv := range blocks {
		fl := d.fleet(mv.To.Instance.Fleet().String())
		d.errorf(mv.ToRange.Ptr(), "Mismatched move",
			"The moved block at %s moves %s to %s, but %s %s, and the state records %s. Each VM would be deleted at its new address and created again. Move the VMs one by one (from = %s, to = an address of %s), or give both fleets the same kind of keys.",
			mv.DeclRange, mv.From, mv.To, mv.To, keyKindText(keyKind(fl)), strings.Join(held[mv], ", "), held[mv][0], mv.To)
	}
}

// keyKind is the kind of key a fleet's instances have: "none", "count" or
// "for_each".
func keyKind(f *spec.Fleet) string {
	switch _, counted := f.AttrRanges["count"]; {
	case f.ForEach:
		return "for_each"
	case counted:
		return "count"
	}
	return "none"
}

func keyKindOf(k addrs.Key) string {
	if _, ok := k.Int(); ok {
		return "count"
	}
	if _, ok := k.Str(); ok {
		return "for_each"
	}
	return "none"
}

func keyKindText(kind string) string {
	if kind == "none" {
		return "has neither count nor for_each (it names one VM)"
	}
	return fmt.Sprintf("sets %s (its VMs have keys)", kind)
}
