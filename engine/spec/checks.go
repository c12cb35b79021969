package spec

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// checkDependsOn reports references to undeclared fleets and cycles, then
// puts the fleets in source order.
func (d *decoder) checkDependsOn() {
	sort.SliceStable(d.spec.Fleets, func(i, j int) bool {
		fi, fj := d.spec.Fleets[i], d.spec.Fleets[j]
		if c := fi.Module.Compare(fj.Module); c != 0 { // a module's fleets after its caller's
			return c < 0
		}
		return rangeLess(fi.DeclRange, fj.DeclRange)
	})
	byAddr := map[string]*Fleet{}
	for _, f := range d.spec.Fleets {
		if f.Module == d.path() { // a module checked its own
			byAddr[f.Address()] = f
		}
	}
	for _, f := range d.spec.Fleets {
		if f.Module != d.path() {
			continue
		}
		for _, dep := range f.DependsOn {
			local := strings.TrimPrefix(dep, d.path().String()+dotIfModule(d.path()))
			_, declared := d.declared[strings.Replace(local, ".", " ", 1)] // but maybe not decoded
			if byAddr[dep] == nil && !declared {
				d.errorf(f.Range("depends_on").Ptr(), "Reference to undeclared fleet",
					"%s depends on %s, which the spec does not declare.", f.Address(), dep)
			}
		}
	}
	d.findCycles(byAddr)
	d.checkAvoid(byAddr)
}

func (d *decoder) findCycles(byAddr map[string]*Fleet) {
	color := map[string]int{} // 0 white, 1 on stack, 2 done
	reported := map[string]bool{}
	var stack []string
	var visit func(f *Fleet)
	visit = func(f *Fleet) {
		addr := f.Address()
		color[addr] = 1
		stack = append(stack, addr)
		for _, dep := range f.DependsOn {
			next := byAddr[dep]
			switch {
			case next == nil:
			case color[dep] == 1:
				d.reportCycle(byAddr, stack, dep, reported)
			case color[dep] == 0:
				visit(next)
			}
		}
		stack = stack[:len(stack)-1]
		color[addr] = 2
	}
	for _, f := range d.spec.Fleets {
		if color[f.Address()] == 0 && byAddr[f.Address()] != nil {
			visit(f)
		}
	}
}

func (d *decoder) reportCycle(byAddr map[string]*Fleet, stack []string, start string, reported map[string]bool) {
	i := len(stack) - 1
	for stack[i] != start {
		i--
	}
	cycle := append(append([]string{}, stack[i:]...), start)
	key := append([]string{}, stack[i:]...)
	sort.Strings(key)
	if reported[strings.Join(key, ",")] {
		return
	}
	reported[strings.Join(key, ",")] = true
	f := byAddr[start]
	d.errorf(f.Range("depends_on").Ptr(), "Cycle in depends_on",
		"The fleets depend on each other in a cycle, so none of them can go first: %s.", strings.Join(cycle, " → "))
}

// checkNames reports two instances that would make VMs of the same name on
// the same provider: on any provider each fleet may create its VMs on (its
// own, a sizing fleet's list, its burst_to: Candidates), since the plan
// decides only when it places them. It keeps the first instance of each
// name; the range and address in the message are looked up only for a
// duplicate.
func (d *decoder) checkNames() {
	type vmName struct {
		provider *Provider // one per provider key: declare refuses a second
		name     string
	}
	n := 0
	for _, f := range d.spec.Fleets {
		n += len(f.Instances)
	}
	names := make(map[vmName]*Instance, n)
	for _, f := range d.spec.Fleets {
		if f.Provider == nil {
			continue
		}
		d.checkFleetNames(f, func(p *Provider, inst *Instance) *Instance {
			key := vmName{p, inst.Name}
			if first, dup := names[key]; dup {
				return first
			}
			names[key] = inst
			return nil
		})
	}
}

// checkFleetNames registers each instance of f under each provider f may
// create it on (seen returns an instance of another fleet already there)
// and reports the first duplicate.
func (d *decoder) checkFleetNames(f *Fleet, seen func(*Provider, *Instance) *Instance) {
	for _, p := range f.Candidates() {
		for _, inst := range f.Instances {
			first := seen(p, inst)
			if first == nil {
				continue
			}
			may := ""
			if p != f.Provider || p != first.Fleet.Provider {
				may = " (a fleet's VMs may be made on its burst_to provider and, with sizing, on any provider it lists)"
			}
			d.errorf(f.Range("name").Ptr(), "Duplicate VM name",
				"%s and %s would both be named %q on provider %s%s (first at %s). Give each VM its own name.",
				first.Address, inst.Address, inst.Name, p.Key(), may, first.Fleet.Range("name"))
			return
		}
	}
}

func rangeLess(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}
