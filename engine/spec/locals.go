package spec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The states of a local value while they are evaluated.
const (
	localNew = iota
	localVisiting
	localDone
)

// decodeLocals evaluates every local value in dependency order. Each is
// evaluated against an object holding only the locals it refers to, so
// the work is linear in the number of locals and references (building the
// object of every local for each one made it quadratic).
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
	l := &localEval{d: d, attrs: attrs, state: map[string]int{}, vars: d.varsObject()}
	for _, n := range order {
		l.visit(n)
	}
	d.ctx = d.newEvalContext(cty.ObjectVal(d.locals)) // fixed from now on
}

type localEval struct {
	d     *decoder
	attrs map[string]*hcl.Attribute
	state map[string]int
	vars  cty.Value
}

// visiting is a local on the walk's stack and its references left to visit.
type visiting struct {
	name string
	refs []string
}

// visit evaluates name after the locals it refers to, depth first with a
// stack of its own: a chain of 100,000 locals must not exhaust Go's.
func (l *localEval) visit(name string) {
	if l.state[name] != localNew {
		return
	}
	l.state[name] = localVisiting
	stack := []visiting{{name, l.refs(name)}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if len(top.refs) == 0 {
			l.state[top.name] = localDone
			l.eval(top.name)
			stack = stack[:len(stack)-1]
			continue
		}
		next := top.refs[0]
		top.refs = top.refs[1:]
		switch l.state[next] {
		case localVisiting:
			l.cycle(stack, next)
		case localNew:
			l.state[next] = localVisiting
			stack = append(stack, visiting{next, l.refs(next)})
		}
	}
}

// refs lists the declared locals an expression refers to, in order.
func (l *localEval) refs(name string) []string {
	var out []string
	for _, tr := range l.attrs[name].Expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if ta, ok := tr[1].(hcl.TraverseAttr); ok && l.attrs[ta.Name] != nil {
			out = append(out, ta.Name)
		}
	}
	return out
}

func (l *localEval) cycle(stack []visiting, name string) {
	path := make([]string, 0, len(stack)+1)
	for _, v := range stack {
		path = append(path, v.name)
	}
	l.d.errorf(l.attrs[name].NameRange.Ptr(), "Cycle in local values",
		"The local values refer to each other in a cycle: %s.", strings.Join(append(path, name), " → "))
	l.d.locals[name] = cty.DynamicVal
}

func (l *localEval) eval(name string) {
	if _, done := l.d.locals[name]; done {
		return // set to unknown by a cycle report
	}
	a := l.attrs[name]
	v, diags := a.Expr.Value(l.context(a.Expr))
	l.d.diags = append(l.d.diags, diags...)
	if diags.HasErrors() || !l.d.checkSize(v, a.Expr.Range()) {
		v = cty.DynamicVal // what refers to it must not grow it further
	}
	l.d.locals[name] = v
}

// context holds var and the locals expr refers to. An expression that uses
// local as a whole (local["a"], keys(local)) or names an undeclared local
// gets every local evaluated so far, as it would with no narrowing, so its
// value and its diagnostics (with their suggestions) stay the same.
func (l *localEval) context(expr hcl.Expression) *hcl.EvalContext {
	refs := map[string]cty.Value{}
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" {
			continue
		}
		ta, ok := hcl.TraverseAttr{}, len(tr) >= 2
		if ok {
			ta, ok = tr[1].(hcl.TraverseAttr)
		}
		v, known := l.d.locals[ta.Name]
		if !ok || !known {
			return l.d.newEvalContext(cty.ObjectVal(l.d.locals))
		}
		refs[ta.Name] = v
	}
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": l.vars, "local": cty.ObjectVal(refs)},
		Functions: l.d.funcs,
	}
}
