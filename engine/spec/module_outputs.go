package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// moduleValues is the module object of an output's context: per module
// block, its outputs (an object), a list of them (count) or a map of them
// by key (for_each). A sensitive output stays marked, so that an output
// showing it must say sensitive = true too.
func (s *Spec) moduleValues(fleets map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var order []string
	groups := map[string][]*moduleCall{}
	for _, c := range s.children {
		if _, seen := groups[c.name]; !seen {
			order = append(order, c.name)
		}
		groups[c.name] = append(groups[c.name], c)
	}
	out := map[string]cty.Value{}
	for _, name := range order {
		v, ds := callValue(groups[name], fleets)
		diags = append(diags, ds...)
		out[name] = v
	}
	return cty.ObjectVal(out), diags
}

// callValue is the value of one module block: its instances' outputs.
func callValue(calls []*moduleCall, fleets map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var list []cty.Value
	byKey := map[string]cty.Value{}
	first := calls[0]
	for _, c := range calls {
		if c.spec == nil {
			continue // count = 0, or an empty for_each
		}
		v, ds := c.outputs(fleets)
		diags = append(diags, ds...)
		list = append(list, v)
		if k, ok := c.key.Str(); ok {
			byKey[k] = v
		}
	}
	switch {
	case first.keyed:
		return cty.ObjectVal(byKey), diags
	case first.counted && len(list) == 0:
		return cty.EmptyTupleVal, diags
	case first.counted:
		return cty.TupleVal(list), diags
	case len(list) == 0:
		return cty.DynamicVal, diags
	}
	return list[0], diags
}

// outputs is the object of one module instance's outputs; an output that
// cannot be evaluated (its error is reported) is unknown.
func (c *moduleCall) outputs(fleets map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	if c.failed {
		return cty.DynamicVal, nil
	}
	vals, diags := c.spec.EvalOutputs(fleets)
	m := map[string]cty.Value{}
	for _, o := range vals {
		v := o.Value
		if o.Sensitive {
			v = v.Mark(sensitiveMark)
		}
		m[o.Name] = v
	}
	for _, o := range c.spec.Outputs {
		if _, ok := m[o.Name]; !ok {
			m[o.Name] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(m), diags
}

// callNames are the names of the module blocks, for suggestions.
func (s *Spec) callNames() []string {
	var out []string
	for _, c := range s.children {
		out = append(out, c.name)
	}
	return out
}

// explainModuleReference rewrites HCL's "There is no variable named
// "module"", where module outputs are not in scope, into where they are.
func explainModuleReference(diag *hcl.Diagnostic) bool {
	if diag.Summary != "Unknown variable" || diag.Expression == nil || diag.Subject == nil {
		return false
	}
	for _, tr := range diag.Expression.Variables() {
		if tr.RootName() != "module" || tr[0].SourceRange() != *diag.Subject {
			continue
		}
		rng := tr.SourceRange()
		diag.Subject = &rng
		diag.Summary = "Module outputs cannot be referred to here"
		diag.Detail = "A module's outputs can show the VMs of its fleets, which exist only once they are planned, so in this version they can be " +
			"referred to only in the outputs of the module that calls it (output \"x\" { value = module.NAME.OUTPUT }). " +
			"Pass values into a module with its block's arguments, from variables and local values."
		return true
	}
	return false
}
