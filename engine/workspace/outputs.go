package workspace

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Outputs evaluates the spec's outputs against the session's state.
func (s *Session) Outputs() ([]spec.OutputValue, hcl.Diagnostics) {
	st := s.State
	if st == nil {
		st = state.New("")
	}
	fleets := map[string]cty.Value{}
	used := usedFleets(s.Spec.Outputs)
	for _, f := range s.Spec.Fleets {
		fleets[f.Address()] = cty.DynamicVal                                                 // named, for a diagnostic's suggestions; never read
		if !f.Module.IsRoot() || used[f.Kind.String()+"."+f.Name] || used[f.Kind.String()] { // a module's outputs are not followed here
			fleets[f.Address()] = fleetValue(f, st)
		}
	}
	return s.Spec.EvalOutputs(fleets)
}

// usedFleets returns the fleets the outputs refer to, as "fleet.NAME" or
// "vm.NAME", and "fleet" or "vm" for an output that refers to them all: a
// fleet no output names costs nothing (a value for each of 100,000 VMs).
func usedFleets(outputs []*spec.Output) map[string]bool {
	used := map[string]bool{}
	for _, o := range outputs {
		for _, t := range o.Expr.Variables() {
			root := t.RootName()
			if root != "fleet" && root != "vm" {
				continue
			}
			if len(t) > 1 {
				if a, ok := t[1].(hcl.TraverseAttr); ok {
					used[root+"."+a.Name] = true
					continue
				}
			}
			used[root] = true
		}
	}
	return used
}

// fleetValue is a fleet as outputs see it: a list for count, a map for
// for_each, an object for vm blocks and single fleets.
func fleetValue(f *spec.Fleet, st *state.State) cty.Value {
	vals := make([]cty.Value, len(f.Instances))
	byKey := map[string]cty.Value{}
	for i, inst := range f.Instances {
		vals[i] = vmValue(inst, st.VMs[inst.Address])
		byKey[inst.Key] = vals[i]
	}
	switch {
	case len(f.Instances) == 1 && f.Instances[0].Address == f.Address():
		return vals[0]
	case f.ForEach:
		return cty.ObjectVal(byKey)
	}
	return cty.TupleVal(vals)
}

func vmValue(inst *spec.Instance, rec *state.VM) cty.Value {
	if rec == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	tags := map[string]cty.Value{}
	for _, k := range slices.Sorted(maps.Keys(rec.Tags)) {
		tags[k] = cty.StringVal(rec.Tags[k])
	}
	return cty.ObjectVal(map[string]cty.Value{
		"address":   cty.StringVal(inst.Address),
		"id":        cty.StringVal(rec.ID),
		"name":      cty.StringVal(rec.Name),
		"host":      cty.StringVal(rec.Host),
		"cpu":       cty.NumberIntVal(int64(rec.CPU)),
		"memory_gb": cty.NumberFloatVal(float64(rec.MemoryMiB) / 1024),
		"disk_gb":   cty.NumberIntVal(int64(rec.DiskGB)),
		"power":     cty.StringVal(rec.Power),
		"tags":      cty.ObjectVal(tags),
	})
}
