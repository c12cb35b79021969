package spec

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func (d *decoder) decodeFleet(b *hcl.Block, kind Kind) {
	name := b.Labels[0]
	if !validLabel(name) {
		d.errorf(b.LabelRanges[0].Ptr(), "Invalid "+kind.String()+" name",
			"%q is not a valid name: use letters, digits, underscores and dashes, starting with a letter, so that %s.%s can be referred to.", name, kind, name)
		return
	}
	if !d.declare(kind.String(), name, b.DefRange) {
		return
	}
	content, diags := b.Body.Content(fleetSchema(kind))
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	f := &Fleet{Module: d.path(), Kind: kind, Name: name, DeclRange: b.DefRange, AttrRanges: map[string]hcl.Range{}}
	for n, a := range content.Attributes {
		f.AttrRanges[n] = a.Range
	}
	f.Provider = d.fleetProviders(f, content.Attributes, b.DefRange)
	d.decodeSizing(f, content.Attributes)
	f.Template = d.fleetTemplate(content.Attributes["template"])
	d.resolveMapping(f, content.Attributes["template"])
	f.DependsOn = d.dependsOn(content.Attributes["depends_on"])
	d.decodeFleetBlocks(f, content.Blocks)
	d.altTemplates(f, content.Attributes)
	d.expand(f, content.Attributes)
	d.spec.Fleets = append(d.spec.Fleets, f)
}

// fleetProvider resolves `provider = provider.TYPE.NAME`; with no attribute
// the only declared provider is used.
func (d *decoder) fleetProvider(a *hcl.Attribute, def hcl.Range) *Provider {
	if a == nil {
		if len(d.spec.Providers) == 1 {
			for _, p := range d.spec.Providers {
				return p
			}
		}
		d.errorf(def.Ptr(), "Missing provider",
			"The spec declares %d providers, so this block must say which one it uses: provider = provider.TYPE.NAME.", len(d.spec.Providers))
		return nil
	}
	parts, ok := d.refName(a.Expr, "provider", 2)
	if !ok {
		d.errorf(a.Expr.Range().Ptr(), "Invalid provider reference", "Expected a reference such as provider.sim.lab.")
		return nil
	}
	p := d.spec.Providers[parts[0]+"."+parts[1]]
	if p == nil {
		d.errorf(a.Expr.Range().Ptr(), "Reference to undeclared provider",
			"There is no provider %q %q in the spec.", parts[0], parts[1])
	}
	return p
}

func (d *decoder) fleetTemplate(a *hcl.Attribute) *Template {
	parts, ok := d.refName(a.Expr, "template", 1)
	if !ok {
		d.errorf(a.Expr.Range().Ptr(), "Invalid template reference", "Expected a reference such as template.ubuntu-22.04.")
		return nil
	}
	t := d.spec.Templates[parts[0]]
	if t == nil {
		d.errorf(a.Expr.Range().Ptr(), "Reference to undeclared template", "There is no template %q in the spec.", parts[0])
	}
	return t
}

func (d *decoder) resolveMapping(f *Fleet, a *hcl.Attribute) {
	if f.Provider == nil || f.Template == nil {
		return
	}
	m, ok := f.Template.Mappings[f.Provider.Type]
	if !ok {
		d.errorf(a.Expr.Range().Ptr(), "Template has no mapping for this driver",
			"Template %q has no %s mapping, but %s uses provider %s. Add a `%s { … }` block to template %q.",
			f.Template.Name, f.Provider.Type, f.Address(), f.Provider.Key(), f.Provider.Type, f.Template.Name)
		return
	}
	f.TemplateRef = templateRef(f.Template, f.Provider.Type, m)
}

// dependsOn reads `depends_on = [fleet.a, vm.b]`; existence and cycles are
// checked once every fleet is known.
func (d *decoder) dependsOn(a *hcl.Attribute) []string {
	if a == nil {
		return nil
	}
	exprs, diags := hcl.ExprList(a.Expr)
	d.diags = append(d.diags, diags...)
	var out []string
	for _, e := range exprs {
		tr, diags := hcl.AbsTraversalForExpr(e)
		var name hcl.TraverseAttr
		ok := !diags.HasErrors() && len(tr) == 2 && (tr.RootName() == "fleet" || tr.RootName() == "vm")
		if ok {
			name, ok = tr[1].(hcl.TraverseAttr) // not fleet[0]
		}
		if !ok {
			d.errorf(e.Range().Ptr(), "Invalid depends_on reference", "Each item must be a reference to a fleet or vm, such as fleet.db or vm.db-01.")
			continue
		}
		out = append(out, d.path().String()+dotIfModule(d.path())+tr.RootName()+"."+name.Name)
	}
	return out
}

func (d *decoder) decodeFleetBlocks(f *Fleet, bs hcl.Blocks) {
	seen := map[string]hcl.Range{}
	for _, b := range bs {
		if first, dup := seen[b.Type]; dup {
			d.errorf(b.DefRange.Ptr(), "Duplicate "+b.Type+" block", "Only one %s block is allowed; the first is at %s.", b.Type, first)
			continue
		}
		seen[b.Type] = b.DefRange
		switch b.Type {
		case "placement":
			d.decodePlacement(f, b)
		case "rollout":
			d.decodeRollout(f, b)
		case "lifecycle":
			d.decodeLifecycle(f, b)
		case "drift":
			f.Drift = d.decodeDrift(b)
		}
	}
}

func (d *decoder) decodeRollout(f *Fleet, b *hcl.Block) {
	content, diags := b.Body.Content(rolloutSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	r := &Rollout{}
	bs := content.Attributes["batch_size"]
	if v, ok := d.evalPlain(bs.Expr, d.evalContext(), "batch_size", cty.Number); ok {
		n, _ := d.wholeNumber(v, bs.Expr, "batch_size", 1, 100000, false)
		r.BatchSize = int(n)
	}
	r.MaxUnavailable = r.BatchSize
	if mu := content.Attributes["max_unavailable"]; mu != nil {
		if v, ok := d.evalPlain(mu.Expr, d.evalContext(), "max_unavailable", cty.Number); ok {
			n, _ := d.wholeNumber(v, mu.Expr, "max_unavailable", 1, 100000, false)
			r.MaxUnavailable = int(n)
		}
	}
	f.Rollout = r
}

func (d *decoder) decodeLifecycle(f *Fleet, b *hcl.Block) {
	content, diags := b.Body.Content(lifecycleSchema)
	d.diags = append(d.diags, diags...)
	d.optBool(content.Attributes["prevent_destroy"], &f.Lifecycle.PreventDestroy)
	d.optBool(content.Attributes["create_before_destroy"], &f.Lifecycle.CreateBeforeDestroy)
	a := content.Attributes["ignore_changes"]
	if a == nil {
		return
	}
	exprs, diags := hcl.ExprList(a.Expr)
	d.diags = append(d.diags, diags...)
	for _, e := range exprs {
		name := hcl.ExprAsKeyword(e)
		if !slices.Contains(ignorable, name) {
			d.errorf(e.Range().Ptr(), "Invalid ignore_changes item", "ignore_changes accepts attribute names: cpu, memory_gb, disk_gb, power, tags, host.")
			continue
		}
		f.Lifecycle.IgnoreChanges = append(f.Lifecycle.IgnoreChanges, name)
	}
}
