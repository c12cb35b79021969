package spec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeLocals evaluates every local value in dependency order.
func (d *decoder) decodeLocals(bs []*hcl.Block) {
	attrs := map[string]*hcl.Attribute{}
	var order []string
	for _, b := range bs {
		as, diags := b.Body.JustAttributes()
		d.diags = append(d.diags, diags...)
		for _, a := range sortedAttrs(as) {
			if d.declare("local value", a.Name, a.NameRange) {
				attrs[a.Name] = a
				order = append(order, a.Name)
			}
		}
	}
	state := map[string]int{} // 0 new, 1 visiting, 2 done
	for _, n := range order {
		d.evalLocal(n, attrs, state, nil)
	}
}

func (d *decoder) evalLocal(name string, attrs map[string]*hcl.Attribute, state map[string]int, path []string) {
	a := attrs[name]
	switch state[name] {
	case 2:
		return
	case 1:
		d.errorf(a.NameRange.Ptr(), "Cycle in local values",
			"The local values refer to each other in a cycle: %s.", strings.Join(append(path, name), " → "))
		d.locals[name] = cty.DynamicVal
		return
	}
	state[name] = 1
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if ta, ok := tr[1].(hcl.TraverseAttr); ok && attrs[ta.Name] != nil {
			d.evalLocal(ta.Name, attrs, state, append(path, name))
		}
	}
	state[name] = 2
	if _, done := d.locals[name]; done {
		return // set to unknown by a cycle report
	}
	v, diags := a.Expr.Value(d.evalContext())
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		v = cty.DynamicVal
	}
	d.locals[name] = v
}
