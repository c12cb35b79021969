package spec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// OutputValue is an evaluated output.
type OutputValue struct {
	Name      string
	Sensitive bool
	Value     cty.Value // unmarked
}

// checkOutputRefs reports references to fleets and vms the spec does not
// declare; other references are checked by evaluation.
func (d *decoder) checkOutputRefs(o *Output) {
	for _, tr := range o.Expr.Variables() {
		root := tr.RootName()
		if root != "fleet" && root != "vm" {
			continue
		}
		if len(tr) < 2 {
			d.errorf(tr.SourceRange().Ptr(), "Invalid reference", "A reference to a %s needs its name: %s.NAME.", root, root)
			continue
		}
		if _, ok := tr[1].(hcl.TraverseAttr); !ok {
			d.errorf(tr.SourceRange().Ptr(), "Invalid reference", "A reference to a %s needs its name: %s.NAME.", root, root)
		}
	}
}

// checkOutputs evaluates the outputs with every fleet unknown, so that an
// output that would show a sensitive value, or that cannot be evaluated at
// all, is reported by validate and plan rather than after an apply.
func (s *Spec) checkOutputs() hcl.Diagnostics {
	unknown := map[string]cty.Value{}
	for _, f := range s.Fleets {
		unknown[f.Address()] = cty.DynamicVal
	}
	_, diags := s.EvalOutputs(unknown)
	return diags
}

// EvalOutputs evaluates the outputs. fleets holds, per fleet or vm address
// ("fleet.web", "vm.db-01"), the value to expose: a list (count), a map
// (for_each) or an object (vm and single fleets) of VM objects.
func (s *Spec) EvalOutputs(fleets map[string]cty.Value) ([]OutputValue, hcl.Diagnostics) {
	byRoot := map[string]map[string]cty.Value{"fleet": {}, "vm": {}}
	for _, f := range s.Fleets {
		if f.Module != s.module {
			continue // a module's fleets are its outputs' to show
		}
		if v, ok := fleets[f.Address()]; ok {
			byRoot[f.Kind.String()][f.Name] = v
		}
	}
	vars := map[string]cty.Value{}
	for n, v := range s.Variables {
		vars[n] = v.Value
	}
	modules, diags := s.moduleValues(fleets)
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":    cty.ObjectVal(vars),
			"local":  cty.ObjectVal(s.locals),
			"fleet":  cty.ObjectVal(byRoot["fleet"]),
			"vm":     cty.ObjectVal(byRoot["vm"]),
			"module": modules,
		},
		Functions: Functions(),
	}
	var out []OutputValue
	for _, o := range s.Outputs {
		v, ds := o.Expr.Value(ctx)
		hideSensitive(ds)
		diags = append(diags, ds...)
		if ds.HasErrors() {
			continue
		}
		if sz := sizeOf(v); sz.over() {
			diags = append(diags, tooLarge(o.Expr.Range(), sz))
			continue
		}
		if v.ContainsMarked() && !o.Sensitive {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Output refers to sensitive values",
				Detail:   strings.TrimSpace("The value of output \"" + o.Name + "\" comes from a sensitive value. Add sensitive = true to the output block to show that this is intended. " + o.why),
				Subject:  o.Expr.Range().Ptr(),
			})
			continue
		}
		v, _ = v.UnmarkDeep()
		out = append(out, OutputValue{Name: o.Name, Sensitive: o.Sensitive, Value: v})
	}
	return out, diags
}
