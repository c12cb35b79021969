package spec

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// SizingCheapest is the sizing setting that has the plan choose, among the
// providers a fleet lists, the one where its VMs cost least.
const SizingCheapest = "cheapest"

// TemplateFor is the fleet's template for a driver type: TemplateRef for
// its provider's type, the mapping of another type it may use (providers,
// burst_to) otherwise.
func (f *Fleet) TemplateFor(driverType string) driver.TemplateRef {
	if f.Provider == nil || driverType == f.Provider.Type {
		return f.TemplateRef
	}
	return f.AltTemplates[driverType]
}

// Candidates are the providers the fleet's VMs may be created on: its
// provider, the others sizing chooses from, and its burst_to provider.
func (f *Fleet) Candidates() []*Provider {
	out := slices.Clone(f.Providers)
	if len(out) == 0 && f.Provider != nil {
		out = append(out, f.Provider)
	}
	if b := f.Placement.BurstTo; b != nil && !slices.Contains(out, b) {
		out = append(out, b)
	}
	return out
}

// fleetProviders resolves `provider = …` or `providers = [ … ]`: the fleet's
// provider is the one given, or the first of the list.
func (d *decoder) fleetProviders(f *Fleet, attrs hcl.Attributes, def hcl.Range) *Provider {
	one, list := attrs["provider"], attrs["providers"]
	if list == nil {
		return d.fleetProvider(one, def)
	}
	if one != nil {
		d.errorf(list.Range.Ptr(), "Conflicting provider settings",
			"Set either provider (one provider) or providers (the providers sizing chooses from), not both.")
		return nil
	}
	exprs, diags := hcl.ExprList(list.Expr)
	d.diags = append(d.diags, diags...)
	for _, e := range exprs {
		p := d.fleetProvider(&hcl.Attribute{Name: "providers", Expr: e, Range: e.Range()}, def)
		if p == nil {
			continue
		}
		if slices.Contains(f.Providers, p) {
			d.errorf(e.Range().Ptr(), "Duplicate provider", "providers lists %s twice.", p.Key())
			continue
		}
		f.Providers = append(f.Providers, p)
	}
	if len(f.Providers) == 0 {
		if !diags.HasErrors() && len(exprs) == 0 {
			d.errorf(list.Expr.Range().Ptr(), "Invalid providers", "providers must list at least one provider, such as [provider.sim.lab].")
		}
		return nil
	}
	return f.Providers[0]
}

// decodeSizing reads `sizing`, which providers needs.
func (d *decoder) decodeSizing(f *Fleet, attrs hcl.Attributes) {
	a := attrs["sizing"]
	if a != nil {
		if v, ok := d.evalPlain(a.Expr, d.evalContext(), "sizing", cty.String); ok {
			if s := v.AsString(); s != SizingCheapest {
				d.errorf(a.Expr.Range().Ptr(), "Invalid sizing", "sizing must be %q; got %q.", SizingCheapest, s)
			} else if attrs["providers"] == nil {
				d.errorf(a.Expr.Range().Ptr(), "Sizing needs providers",
					"sizing = %q chooses among the providers a fleet lists: replace provider = … with providers = [provider.TYPE.NAME, …], the providers it may choose from.", SizingCheapest)
			} else {
				f.Sizing = s
			}
		}
		return
	}
	if p := attrs["providers"]; p != nil && len(f.Providers) > 1 {
		d.errorf(p.Range.Ptr(), "Missing sizing",
			"%s lists %d providers: set sizing = %q to have the plan choose the one where its VMs cost least.", f.Address(), len(f.Providers), SizingCheapest)
	}
}

// burstTo reads placement's `burst_to = provider.TYPE.NAME`.
func (d *decoder) burstTo(f *Fleet, a *hcl.Attribute) {
	if a == nil {
		return
	}
	p := d.fleetProvider(a, a.Range)
	if p == nil {
		return
	}
	if p == f.Provider {
		d.errorf(a.Expr.Range().Ptr(), "Invalid burst_to",
			"burst_to names %s, the fleet's own provider: name the provider that takes the VMs its hosts cannot.", p.Key())
		return
	}
	if slices.Contains(f.Providers, p) {
		d.errorf(a.Expr.Range().Ptr(), "Invalid burst_to",
			"burst_to names %s, which providers lists: sizing may choose it as the fleet's provider, and a fleet cannot burst to its own provider. "+
				"Remove %s from providers, or name another provider in burst_to.", p.Key(), p.Key())
		return
	}
	f.Placement.BurstTo, f.Placement.BurstRange = p, a.Expr.Range()
}

// altTemplates resolves the fleet's template for every other driver type
// it may be created on.
func (d *decoder) altTemplates(f *Fleet, attrs hcl.Attributes) {
	if f.Provider == nil || f.Template == nil {
		return
	}
	for _, p := range f.Candidates() {
		if p.Type == f.Provider.Type || f.AltTemplates[p.Type].Config != nil {
			continue
		}
		m, ok := f.Template.Mappings[p.Type]
		if !ok {
			r := f.Placement.BurstRange
			if p != f.Placement.BurstTo {
				r = attrs["providers"].Expr.Range()
			}
			d.errorf(r.Ptr(), "Template has no mapping for this driver",
				"Template %q has no %s mapping, but %s may use provider %s. Add a `%s { … }` block to template %q.",
				f.Template.Name, p.Type, f.Address(), p.Key(), p.Type, f.Template.Name)
			continue
		}
		if f.AltTemplates == nil {
			f.AltTemplates = map[string]driver.TemplateRef{}
		}
		f.AltTemplates[p.Type] = templateRef(f.Template, p.Type, m)
	}
}

// templateRef is a template's mapping for a driver type, its sensitive
// settings to be sealed.
func templateRef(t *Template, typ string, m driver.Config) driver.TemplateRef {
	ref := driver.TemplateRef{Name: t.Name, Config: m}
	for _, name := range t.Sensitive[typ] {
		if ref.Sensitive == nil {
			ref.Sensitive = map[string]string{}
		}
		ref.Sensitive[name] = "" // until SealTemplates
	}
	return ref
}
