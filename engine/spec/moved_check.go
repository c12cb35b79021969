package spec

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
)

// checkMoveShape refuses a move to itself and a module moved to a fleet
// or a VM (or the other way round). A vm block's address and a fleet
// written without an index name one VM each when the other end names one
// VM (fleet.x[0] → fleet.x once x drops count, fleet.s → fleet.s[0] once
// it gains it, vm.db → fleet.db): the VM without a key. Whether that VM
// is one the spec declares is checkMoveEnds', and whether the state holds
// it the plan's. A whole module call moved to or from one keyed instance
// is the instance of the block without count or for_each (module.a →
// module.a[0]).
func (d *decoder) checkMoveShape(m *Moved) bool {
	if m.From.IsModule() != m.To.IsModule() {
		d.errorf(m.ToRange.Ptr(), "Mismatched move",
			"A moved block moves a module to a module, or a fleet or VM to a fleet or VM, but this one moves %s to %s.", m.From, m.To)
		return false
	}
	if m.From.Whole != m.To.Whole {
		m.From.Whole, m.To.Whole = false, false
	}
	if m.From == m.To {
		d.errorf(m.ToRange.Ptr(), "Redundant move", "This moved block moves %s to itself: remove it.", m.From)
		return false
	}
	return true
}

// declaredAt returns where the spec declares what e names (a fleet, one
// of its VMs, or a fleet inside a module), and whether it does.
func (d *decoder) declaredAt(e addrs.Endpoint) (hcl.Range, bool) {
	if e.IsModule() {
		for _, f := range d.spec.Fleets {
			if len(f.Instances) > 0 && e.Contains(f.Addr().Instance(addrs.NoKey)) {
				return d.spec.moduleBlockAt(e.Module(), f.DeclRange), true
			}
		}
		return hcl.Range{}, false
	}
	f := d.spec.Fleet(e.Instance.Fleet().String())
	if f == nil {
		return hcl.Range{}, false
	}
	if e.Whole {
		return f.DeclRange, true
	}
	return f.DeclRange, d.spec.Instance(e.Instance.String()) != nil
}

// moduleBlockAt returns the range of the module block that declares the
// module m (its last step), or dflt when no call has that path.
func (s *Spec) moduleBlockAt(m addrs.Module, dflt hcl.Range) hcl.Range {
	var call *moduleCall
	for _, step := range m.Steps() {
		call = nil
		for _, c := range s.children {
			if c.name == step.Name && c.spec != nil {
				call = c
				break
			}
		}
		if call == nil {
			return dflt
		}
		s = call.spec
	}
	if call == nil {
		return dflt
	}
	return call.declRange
}

// checkMoves refuses moves that contradict the spec or each other: a
// source the spec still declares, a destination it does not (unless
// another move moves it on: a chain), two moves of one source or to one
// destination, a whole fleet's move and a move of one of its VMs, and a
// cycle.
func (d *decoder) checkMoves() {
	from := map[string]*Moved{}
	to := map[string]*Moved{}
	for _, m := range d.spec.Moves {
		if first := from[m.From.String()]; first != nil {
			d.errorf(m.FromRange.Ptr(), "Ambiguous move", "%s is moved by two moved blocks: this one to %s, and the one at %s to %s. A VM moves to one address.", m.From, m.To, first.DeclRange, first.To)
		} else {
			from[m.From.String()] = m
		}
		if first := to[m.To.String()]; first != nil {
			d.errorf(m.ToRange.Ptr(), "Ambiguous move", "Two moved blocks move to %s: this one from %s, and the one at %s from %s. An address holds one VM.", m.To, m.From, first.DeclRange, first.From)
		} else {
			to[m.To.String()] = m
		}
	}
	for _, m := range d.spec.Moves {
		d.checkMoveEnds(m, from)
	}
	d.checkMoveOverlaps()
	d.checkMoveCycles(from)
}

// checkMoveEnds checks one move against the spec.
func (d *decoder) checkMoveEnds(m *Moved, from map[string]*Moved) {
	if r, ok := d.declaredAt(m.From); ok {
		d.errorf(m.FromRange.Ptr(), "Moved object still declared",
			"This moved block moves %s to %s, but the spec still declares %s (at %s). Remove it from the spec, or remove the moved block.", m.From, m.To, m.From, r)
	}
	if from[m.To.String()] != nil {
		return // a chain: the next move takes it on
	}
	if _, ok := d.declaredAt(m.To); ok {
		return
	}
	if m.InModule && !m.To.Whole && !m.To.IsModule() && d.spec.Fleet(m.To.Instance.Fleet().String()) != nil {
		return // one VM in one instance of a module: the plan checks it where the state records m.From
	}
	what := "an address the spec does not declare"
	if f := d.spec.Fleet(m.To.Instance.Fleet().String()); f != nil && !m.To.Whole && !m.To.IsModule() {
		if m.To.Instance.Key().IsNone() && len(f.Instances) > 0 && f.Kind == addrs.KindFleet {
			d.errorf(m.ToRange.Ptr(), "Mismatched move",
				"This moved block moves %s to %s, one VM without a key, but %s sets count or for_each (%s): name one of its VMs, as %s.",
				m.From, m.To, f.Address(), describeInstances(f), f.Instances[0].Address)
			return
		}
		what += " (" + describeInstances(f) + ")"
	}
	d.errorf(m.ToRange.Ptr(), "Move to an undeclared address",
		"This moved block moves %s to %s, %s. A move's destination must be declared in the spec, or moved on by another moved block.", m.From, m.To, what)
}

// checkMoveOverlaps refuses a whole fleet's move beside a move of one of
// its VMs, at either end, and a module's move beside a move of something
// inside it at the from end: which of the two moves the VM would be
// unclear. At the to end a module's move and a move inside the module it
// moves to make a chain (a renamed module whose own moved blocks rename
// its fleets); two VMs that would end at one address are refused by the
// plan, which sees the state.
func (d *decoder) checkMoveOverlaps() {
	ends := []struct {
		what string
		end  func(*Moved) (addrs.Endpoint, hcl.Range)
	}{
		{"from", func(m *Moved) (addrs.Endpoint, hcl.Range) { return m.From, m.FromRange }},
		{"to", func(m *Moved) (addrs.Endpoint, hcl.Range) { return m.To, m.ToRange }},
	}
	for _, e := range ends {
		whole := map[addrs.Fleet]*Moved{}
		var modules []*Moved
		for _, m := range d.spec.Moves {
			ep, _ := e.end(m)
			switch {
			case ep.IsModule():
				modules = append(modules, m)
			case ep.Whole && whole[ep.Instance.Fleet()] == nil:
				whole[ep.Instance.Fleet()] = m
			}
		}
		for _, m := range d.spec.Moves {
			ep, r := e.end(m)
			if w := whole[ep.Instance.Fleet()]; w != nil && !ep.Whole && !ep.IsModule() {
				d.errorf(r.Ptr(), "Overlapping moves",
					"This moved block's %s is %s, a VM of %s, which the moved block at %s moves as a whole (%s to %s). Move the fleet, or its VMs one by one, not both.",
					e.what, ep, ep.Instance.Fleet(), w.DeclRange, w.From, w.To)
			}
			if e.what == "from" {
				d.checkModuleOverlap(m, ep, r, e.what, modules, e.end)
			}
		}
	}
}

// checkModuleOverlap refuses a move whose end (what: from or to) lies
// inside a module that another move moves at the same end.
func (d *decoder) checkModuleOverlap(m *Moved, ep addrs.Endpoint, r hcl.Range, what string, modules []*Moved, end func(*Moved) (addrs.Endpoint, hcl.Range)) {
	for _, w := range modules {
		wp, _ := end(w)
		if w == m || wp.String() == ep.String() || !wp.Overlaps(ep) {
			continue // the same address twice is an ambiguous move, reported already
		}
		if ep.IsModule() && len(ep.String()) < len(wp.String()) {
			continue // ep holds wp: the move of wp reports it
		}
		d.errorf(r.Ptr(), "Overlapping moves",
			"This moved block's %s is %s, inside %s, which the moved block at %s moves (%s to %s). Move the module, or what is inside it, not both at the same address; to move something inside a moved module, name it at the module's new address.",
			what, ep, wp, w.DeclRange, w.From, w.To)
		return
	}
}

// checkMoveCycles refuses moves that lead back to where they started.
func (d *decoder) checkMoveCycles(from map[string]*Moved) {
	reported := map[*Moved]bool{}
	for _, m := range d.spec.Moves {
		next := m
		for range len(d.spec.Moves) {
			next = from[next.To.String()]
			if next == nil || reported[m] {
				break
			}
			if next == m {
				reported[m] = true
				d.errorf(m.FromRange.Ptr(), "Cyclic moves",
					"The moved blocks lead %s back to itself: %s. Moves must end at an address the spec declares.", m.From, d.cycleText(m, from))
				break
			}
		}
	}
}

// cycleText writes a cycle as "a (at R) → b (at R) → a".
func (d *decoder) cycleText(m *Moved, from map[string]*Moved) string {
	text := m.From.String()
	for next := m; ; {
		text += " (moved at " + next.DeclRange.String() + ") → " + next.To.String()
		next = from[next.To.String()]
		if next == nil || next == m {
			return text
		}
	}
}

// checkRemoved refuses a removed block whose VMs the spec still declares,
// two removed blocks of one VM, and a removed block of VMs a moved block
// moves.
func (d *decoder) checkRemoved() {
	for i, r := range d.spec.Removed {
		if at, ok := d.declaredAt(r.From); ok {
			d.errorf(r.FromRange.Ptr(), "Removed object still declared",
				"This removed block removes %s, but the spec still declares it (at %s). Remove it from the spec, or remove the removed block.", r.From, at)
			continue // what else it overlaps follows from this
		}
		for _, o := range d.spec.Removed[:i] {
			if o.From.Overlaps(r.From) {
				d.errorf(r.FromRange.Ptr(), "Overlapping removed blocks", "This removed block removes %s, and the one at %s removes %s. Remove each VM once.", r.From, o.DeclRange, o.From)
			}
		}
		for _, m := range d.spec.Moves {
			if m.From.Overlaps(r.From) || m.To.Overlaps(r.From) {
				d.errorf(r.FromRange.Ptr(), "Removed and moved",
					"This removed block removes %s, which the moved block at %s moves (%s to %s). Either move it or remove it.", r.From, m.DeclRange, m.From, m.To)
			}
		}
	}
}
