package plan

import (
	"sort"
	"strings"

	"github.com/novacron/novacron/engine/addrs"
)

// applyTargets narrows the plan to -target addresses and what they need:
// the fleets they depend on, or for a destroy the fleets that depend on them.
func (d *differ) applyTargets() {
	if len(d.in.Targets) == 0 {
		return
	}
	fleets := d.targetFleets()
	if d.diags.HasErrors() {
		return
	}
	kept := d.plan.Changes[:0]
	for _, c := range d.plan.Changes {
		if d.targeted(c, fleets) {
			kept = append(kept, c)
		}
	}
	d.plan.Changes = kept
	d.covered = fleets
	d.coverSelected()
	related := "what it depends on"
	if d.in.Destroy {
		related = "what depends on it"
	}
	d.plan.Warnings = append(d.plan.Warnings,
		"Targeting is in effect: the plan covers only "+strings.Join(d.in.Targets, ", ")+
			" and "+related+", so it may leave the rest of the spec unapplied. Use -target for exceptional situations, not as routine.")
}

// targetFleets returns the fleets included whole: the ones the targets
// depend on (transitively), or the ones depending on them for a destroy.
func (d *differ) targetFleets() map[string]bool {
	known := d.knownAddresses()
	deps := d.plan.FleetDeps
	if d.in.Destroy {
		deps = reverse(deps)
	}
	out := map[string]bool{}
	var visit func(f string)
	visit = func(f string) {
		for _, dep := range deps[f] {
			if !out[dep] {
				out[dep] = true
				visit(dep)
			}
		}
	}
	for _, t := range d.in.Targets {
		inside := fleetsInside(t, known)
		if !known[t] && len(inside) == 0 {
			what := "fleet or VM"
			if addrs.IsModuleAddress(t) {
				what = "fleet or VM inside that module"
			}
			d.errorf(nil, "Invalid -target address", "-target=%s matches no %s in the spec or state.", t, what)
			continue
		}
		if len(inside) == 0 {
			visit(fleetOf(t))
		}
		for _, f := range inside {
			visit(f)
		}
	}
	return out
}

// fleetsInside returns, for a module target, the known fleet addresses
// inside it (a module address targets everything in it).
func fleetsInside(t string, known map[string]bool) []string {
	m, err := addrs.ParseModule(t)
	if err != nil {
		return nil
	}
	var out []string
	for a := range known {
		if f, ok := addrs.FleetOf(a); ok && f == a && m.Contains(a) {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

func (d *differ) targeted(c *Change, fleets map[string]bool) bool {
	if fleets[c.Fleet] {
		return true
	}
	from := d.movedFrom(c.Address)
	for _, t := range d.in.Targets {
		if selects(t, c.Address, c.Fleet) || (from != "" && selects(t, from, fleetOf(from))) {
			return true
		}
	}
	return false
}

// coverSelected adds to covered the fleets of which a target selects a
// VM (the whole fleet, one of its instances, or a module holding it).
func (d *differ) coverSelected() {
	if d.in.Spec == nil {
		return
	}
	for _, f := range d.in.Spec.Fleets {
		for _, inst := range f.Instances {
			if d.covered[f.Address()] {
				break
			}
			for _, t := range d.in.Targets {
				if selects(t, inst.Address, f.Address()) {
					d.covered[f.Address()] = true
				}
			}
		}
	}
}

// selects reports whether the target t names the VM at addr of fleet.
func selects(t, addr, fleet string) bool {
	return addr == t || fleet == t || (addrs.IsModuleAddress(t) && moduleContains(t, addr))
}

// movedFrom returns the address the state records for the VM a moved
// block moves to addr ("" when none does): a target at the old address
// selects the moved VM too, as Terraform's does.
func (d *differ) movedFrom(addr string) string {
	if d.moves == nil {
		return ""
	}
	return d.moves.from[addr]
}

func moduleContains(module, addr string) bool {
	m, err := addrs.ParseModule(module)
	return err == nil && m.Contains(addr)
}

func (d *differ) knownAddresses() map[string]bool {
	known := map[string]bool{}
	for addr, rec := range d.st.VMs {
		known[addr], known[rec.Fleet] = true, true
	}
	if d.moves != nil { // the addresses the state records before the moves
		for _, from := range d.moves.from {
			known[from], known[fleetOf(from)] = true, true
		}
	}
	if d.in.Spec != nil { // also in destroy mode, where nothing is desired
		for _, f := range d.in.Spec.Fleets {
			known[f.Address()] = true
			for _, inst := range f.Instances {
				known[inst.Address] = true
			}
		}
	}
	return known
}

// reverse maps each fleet to the fleets that depend on it, sorted.
func reverse(deps map[string][]string) map[string][]string {
	out := map[string][]string{}
	for f, ds := range deps {
		for _, dep := range ds {
			out[dep] = append(out[dep], f)
		}
	}
	for _, fs := range out {
		sort.Strings(fs)
	}
	return out
}
