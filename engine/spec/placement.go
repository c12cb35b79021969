package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// labelKey is what a host label key (spread_by, host_labels) looks like.
var labelKey = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9_./-]*$`)

// decodePlacement decodes a fleet's placement block: spread_by, prefer,
// host_labels and avoid_same_host_as (checked against the fleets once all
// are known, in checkAvoid).
func (d *decoder) decodePlacement(f *Fleet, b *hcl.Block) {
	content, diags := b.Body.Content(placementSchema)
	d.diags = append(d.diags, diags...)
	d.spreadBy(f, content.Attributes["spread_by"])
	d.prefer(f, content.Attributes["prefer"])
	d.hostLabels(f, content.Attributes["host_labels"])
	d.burstTo(f, content.Attributes["burst_to"])
	if a := content.Attributes["avoid_same_host_as"]; a != nil {
		f.Placement.AvoidSameHostAs = d.fleetRefs(a, "avoid_same_host_as")
		f.Placement.AvoidRange = a.Expr.Range()
	}
}

func (d *decoder) spreadBy(f *Fleet, a *hcl.Attribute) {
	if a == nil {
		return
	}
	v, ok := d.evalPlain(a.Expr, d.evalContext(), "spread_by", cty.String)
	if !ok {
		return // reported; not also "Invalid spread_by"
	}
	switch s := v.AsString(); {
	case s == "none":
	case s == "host" || labelKey.MatchString(s):
		f.Placement.SpreadBy = s
	default:
		d.errorf(a.Expr.Range().Ptr(), "Invalid spread_by",
			"spread_by must be \"host\", \"none\" or a host label key such as \"rack\" (letters, digits, _, ., / and -); got %q.", s)
	}
}

func (d *decoder) prefer(f *Fleet, a *hcl.Attribute) {
	if a == nil {
		return
	}
	v, ok := d.evalPlain(a.Expr, d.evalContext(), "prefer", cty.String)
	if !ok {
		return
	}
	switch s := v.AsString(); s {
	case "pack", "spread":
		f.Placement.Prefer = s
	default:
		d.errorf(a.Expr.Range().Ptr(), "Invalid prefer", "prefer must be \"pack\" or \"spread\"; got %q.", s)
	}
}

func (d *decoder) hostLabels(f *Fleet, a *hcl.Attribute) {
	if a == nil {
		return
	}
	v, ok := d.evalPlain(a.Expr, d.evalContext(), "host_labels", cty.Map(cty.String))
	if !ok || v.IsNull() {
		return
	}
	labels := map[string]string{}
	for k, val := range v.AsValueMap() {
		if !labelKey.MatchString(k) {
			d.errorf(a.Expr.Range().Ptr(), "Invalid host_labels",
				"host_labels keys are host label keys (letters, digits, _, ., / and -); got %q.", k)
			continue
		}
		labels[k] = val.AsString()
	}
	f.Placement.HostLabels = labels
}

// fleetRefs decodes a list of references to fleets (fleet.db, vm.db-01).
func (d *decoder) fleetRefs(a *hcl.Attribute, name string) []string {
	exprs, diags := hcl.ExprList(a.Expr)
	d.diags = append(d.diags, diags...)
	var out []string
	for _, e := range exprs {
		tr, diags := hcl.AbsTraversalForExpr(e)
		var n hcl.TraverseAttr
		ok := !diags.HasErrors() && len(tr) == 2 && (tr.RootName() == "fleet" || tr.RootName() == "vm")
		if ok {
			n, ok = tr[1].(hcl.TraverseAttr)
		}
		if !ok {
			d.errorf(e.Range().Ptr(), "Invalid "+name+" reference", "Each item must be a reference to a fleet or vm, such as fleet.db or vm.db-01.")
			continue
		}
		out = append(out, d.path().String()+dotIfModule(d.path())+tr.RootName()+"."+n.Name)
	}
	return out
}

// checkAvoid reports avoid_same_host_as references to undeclared fleets,
// to the fleet itself, and to a fleet of another provider (which never
// shares a host with it).
func (d *decoder) checkAvoid(byAddr map[string]*Fleet) {
	for _, f := range d.spec.Fleets {
		if f.Module != d.path() {
			continue
		}
		for _, ref := range f.Placement.AvoidSameHostAs {
			r := f.Placement.AvoidRange.Ptr()
			other := byAddr[ref]
			switch {
			case ref == f.Address():
				d.errorf(r, "Invalid avoid_same_host_as", "%s cannot avoid itself; use spread_by = \"host\" to keep its VMs apart.", ref)
			case other == nil:
				d.errorf(r, "Reference to undeclared fleet", "%s avoids %s, which the spec does not declare.", f.Address(), ref)
			case other.Provider != nil && f.Provider != nil && other.Provider != f.Provider:
				d.errorf(r, "Invalid avoid_same_host_as",
					"%s and %s use different providers, so they never share a host: avoiding it has no effect.", f.Address(), ref)
			}
		}
	}
}
