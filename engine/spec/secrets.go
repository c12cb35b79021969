package spec

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/secret"
)

// Redactor removes the spec's sensitive values from text: the values of
// sensitive variables, and of the provider and template settings that are
// sensitive (the driver declares them so, or they were given a sensitive
// value), in every form secret.Redactor knows. The operation core runs
// every message a driver returns through it; a face runs through it what
// it gets from drivers itself (opening a provider). A nil spec has none.
func (s *Spec) Redactor() *secret.Redactor {
	if s == nil {
		return nil
	}
	return secret.NewRedactor(s.sensitiveTexts())
}

// sensitiveTexts lists the text of every sensitive value the spec holds.
func (s *Spec) sensitiveTexts() []string {
	out := slices.Clone(s.sensitiveVars)
	for _, p := range s.Providers {
		for _, name := range p.Sensitive {
			out = append(out, settingTexts(p.Config[name])...)
		}
	}
	for _, t := range s.Templates {
		for typ, names := range t.Sensitive {
			for _, name := range names {
				out = append(out, settingTexts(t.Mappings[typ][name])...)
			}
		}
	}
	for _, f := range s.Fleets { // a face that builds its spec may set only these
		for name := range f.TemplateRef.Sensitive {
			out = append(out, settingTexts(f.TemplateRef.Config[name])...)
		}
	}
	return out
}

// settingTexts returns the texts of a setting's value: a string, the
// items of a list, the values of a map, a number or duration as written.
// A map's keys are left out: the one map setting a driver has (libvirt's
// hosts) names hosts with them, which it shows, and which may not be
// sensitive (Setting.Shown); a sensitive URI in it must not hide the host's
// name from every message.
func settingTexts(v any) []string {
	switch v := v.(type) {
	case nil, bool:
		return nil
	case string:
		return []string{v}
	case []string:
		return v
	case map[string]string:
		return slices.Collect(maps.Values(v))
	}
	return []string{fmt.Sprint(v)}
}

// valueTexts returns the texts of the strings and numbers in a value.
func valueTexts(v cty.Value) []string {
	v, _ = v.UnmarkDeep()
	var out []string
	_ = cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		if !e.IsKnown() || e.IsNull() {
			return false, nil
		}
		switch e.Type() {
		case cty.String:
			out = append(out, e.AsString())
		case cty.Number:
			out = append(out, e.AsBigFloat().Text('f', -1))
		}
		return true, nil
	})
	return out
}

// warnShortSecret warns that a sensitive setting's text is too short to be
// removed from what its driver reports. Numbers, booleans and durations are
// not warned about: one that is sensitive is mostly derived from a secret
// (a condition on it), not the secret itself.
func (d *decoder) warnShortSecret(a *hcl.Attribute, v any) {
	switch v.(type) {
	case string, []string, map[string]string:
	default:
		return
	}
	for _, t := range settingTexts(v) {
		if t != "" && len(t) < secret.MinRedacted {
			d.diags = append(d.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Sensitive value too short to hide",
				Detail: fmt.Sprintf("The value of %s is sensitive and has a text shorter than %d characters. "+
					"It never appears in plans, state or NovaCron's own messages, but a text this short cannot be removed "+
					"from the messages the driver returns (it would remove the same letters from every word): use a longer secret.",
					a.Name, secret.MinRedacted),
				Subject: a.Expr.Range().Ptr(),
			})
			return
		}
	}
}
