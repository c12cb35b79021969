package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// A value that reaches a setting its driver declares sensitive is
// sensitive wherever it comes from. Before anything is evaluated,
// findFeeds reads the expressions of those settings, follows local.NAME to
// the locals' expressions, and records every variable they reach; the
// variable is then sensitive as if it said sensitive = true (decodeVariable),
// so its value is marked, kept out of saved plans and refused in outputs.

// feedFinder walks expressions to the variables they reach.
type feedFinder struct {
	locals map[string]hcl.Expression
	vars   []string // every declared variable, for a reference to var as a whole
	// allLocals is every local's name, for a reference to local as a whole.
	allLocals []string
	// reasons holds, per variable, the first sensitive setting it feeds.
	reasons map[string]string
}

// findFeeds fills d.fed and d.localExprs from the blocks, unevaluated.
// Errors in the blocks are left to the decoding that follows.
func (d *decoder) findFeeds(all blocks) {
	f := &feedFinder{locals: localExprs(all["locals"]), reasons: map[string]string{}}
	for _, b := range all["variable"] {
		f.vars = append(f.vars, b.Labels[0])
	}
	for _, b := range all["provider"] {
		if fac, ok := d.opts.Registry.Lookup(b.Labels[0]); ok {
			where := fmt.Sprintf("provider.%s.%s", b.Labels[0], b.Labels[1])
			f.settings(b.Body, fac.Settings, where)
		}
	}
	for _, b := range all["template"] {
		d.templateFeeds(f, b)
	}
	d.fed, d.localExprs = f.reasons, f.locals
}

func (d *decoder) templateFeeds(f *feedFinder, b *hcl.Block) {
	schema := &hcl.BodySchema{}
	for _, t := range d.opts.Registry.Types() {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	content, _, _ := b.Body.PartialContent(schema)
	for _, mb := range content.Blocks {
		fac, _ := d.opts.Registry.Lookup(mb.Type)
		f.settings(mb.Body, fac.TemplateSettings, fmt.Sprintf("template.%s (%s)", b.Labels[0], mb.Type))
	}
}

// localExprs returns the expression of every local value by name.
func localExprs(bs []*hcl.Block) map[string]hcl.Expression {
	out := map[string]hcl.Expression{}
	for _, b := range bs {
		attrs, _ := b.Body.JustAttributes()
		for _, a := range sortedAttrs(attrs) {
			if _, dup := out[a.Name]; !dup {
				out[a.Name] = a.Expr
			}
		}
	}
	return out
}

// settings records the variables that reach the sensitive settings of a
// block body; where names the block.
func (f *feedFinder) settings(body hcl.Body, settings []driver.Setting, where string) {
	schema := &hcl.BodySchema{}
	for _, s := range settings {
		if s.Sensitive {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: s.Name})
		}
	}
	if len(schema.Attributes) == 0 {
		return
	}
	content, _, _ := body.PartialContent(schema)
	for _, a := range sortedAttrs(content.Attributes) {
		r := a.Expr.Range()
		reason := fmt.Sprintf("%s of %s at %s:%d", a.Name, where, r.Filename, r.Start.Line)
		for _, v := range f.reached(a.Expr) {
			if _, seen := f.reasons[v]; !seen {
				f.reasons[v] = reason
			}
		}
	}
}

// reached lists the variables an expression reaches, directly or through
// locals, each once. It keeps its own work list: a chain of 100,000 locals
// must not exhaust Go's stack. A reference to var or local as a whole
// (keys(var), local[var.k]) reaches every variable or local.
func (f *feedFinder) reached(expr hcl.Expression) []string {
	var out []string
	seenVar, seenLocal := map[string]bool{}, map[string]bool{}
	work := []hcl.Expression{expr}
	for len(work) > 0 {
		e := work[len(work)-1]
		work = work[:len(work)-1]
		for _, tr := range e.Variables() {
			name, whole := refAttr(tr)
			switch tr.RootName() {
			case "var":
				for _, v := range pick(name, whole, f.vars) {
					if !seenVar[v] {
						seenVar[v] = true
						out = append(out, v)
					}
				}
			case "local":
				for _, l := range pick(name, whole, f.localNames()) {
					if !seenLocal[l] && f.locals[l] != nil {
						seenLocal[l] = true
						work = append(work, f.locals[l])
					}
				}
			}
		}
	}
	return out
}

// pick is the one name a reference takes, or all of them when it takes
// its root as a whole.
func pick(name string, whole bool, all []string) []string {
	if whole {
		return all
	}
	return []string{name}
}

// localNames lists every local, sorted once: a walk may meet local as a
// whole many times.
func (f *feedFinder) localNames() []string {
	if f.allLocals == nil {
		f.allLocals = slices.Sorted(maps.Keys(f.locals))
	}
	return f.allLocals
}

// refAttr returns the name a traversal takes from its root (var.NAME,
// local["NAME"]), or whole when it does not name one.
func refAttr(tr hcl.Traversal) (name string, whole bool) {
	if len(tr) < 2 {
		return "", true
	}
	switch step := tr[1].(type) {
	case hcl.TraverseAttr:
		return step.Name, false
	case hcl.TraverseIndex:
		if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
			return step.Key.AsString(), false
		}
	}
	return "", true
}

// feedsWhy is the sentence an output's diagnostic adds for the variables
// it reaches that are sensitive because of a setting they feed, or "".
func (d *decoder) feedsWhy(expr hcl.Expression) string {
	f := &feedFinder{locals: d.localExprs}
	for n := range d.spec.Variables {
		f.vars = append(f.vars, n)
	}
	slices.Sort(f.vars)
	var why []string
	for _, n := range f.reached(expr) {
		if v := d.spec.Variables[n]; v != nil && v.SensitiveReason != "" {
			why = append(why, fmt.Sprintf("var.%s is sensitive because it feeds the sensitive setting %s.", n, v.SensitiveReason))
		}
	}
	return strings.Join(why, " ")
}
