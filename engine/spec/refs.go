package spec

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// sortedAttrs returns attributes in source order.
func sortedAttrs(as hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(as))
	for _, a := range as {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := out[i].Range, out[j].Range
		if ri.Filename != rj.Filename {
			return ri.Filename < rj.Filename
		}
		return ri.Start.Byte < rj.Start.Byte
	})
	return out
}

// refName reads a reference like provider.sim.lab, template.ubuntu-22.04 or
// fleet.web from an expression: it returns the parts after root, where the
// last part is the rest of the reference as written in the source (so a
// template named "ubuntu-22.04" survives HCL reading ".04" as an index).
// A quoted string is accepted in place of a reference (root omitted).
func (d *decoder) refName(expr hcl.Expression, root string, parts int) ([]string, bool) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return d.refFromString(expr, root, parts)
	}
	if tr.RootName() != root || len(tr) < parts+1 {
		return nil, false
	}
	out := make([]string, 0, parts)
	for i := 1; i < parts; i++ {
		a, ok := tr[i].(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		out = append(out, a.Name)
	}
	last := hcl.RangeBetween(tr[parts].SourceRange(), tr[len(tr)-1].SourceRange())
	src := d.source(last)
	if src == "" {
		return nil, false
	}
	return append(out, strings.TrimPrefix(src, ".")), true
}

// refFromString accepts "NAME" (or "a.b" for parts == 2) as a string literal.
func (d *decoder) refFromString(expr hcl.Expression, root string, parts int) ([]string, bool) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.Type().Equals(cty.String) || v.IsNull() || !v.IsKnown() {
		return nil, false
	}
	s := strings.TrimPrefix(v.AsString(), root+".")
	out := strings.SplitN(s, ".", parts)
	if len(out) != parts {
		return nil, false
	}
	return out, true
}

// source returns the source text of a range.
func (d *decoder) source(r hcl.Range) string {
	f := d.loader.parser.Files()[r.Filename]
	if f == nil || r.End.Byte > len(f.Bytes) {
		return ""
	}
	return string(r.SliceBytes(f.Bytes))
}

// labelRe is a fleet, vm or variable name: usable in references such as
// fleet.NAME, and as the start of a VM name.
var labelRe = lazyregexp.New(`^[A-Za-z][A-Za-z0-9_-]*$`)

func validLabel(s string) bool { return labelRe.MatchString(s) }
