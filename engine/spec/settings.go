package spec

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// decodeSettings decodes a block body against a driver's declared settings.
// Sensitive values are allowed only where they are never shown: provider
// settings, not template mappings (which plans display).
func (d *decoder) decodeSettings(body hcl.Body, settings []driver.Setting, allowSensitive bool) driver.Config {
	schema := &hcl.BodySchema{}
	for _, s := range settings {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: s.Name, Required: s.Required})
	}
	content, diags := body.Content(schema)
	d.diags = append(d.diags, diags...)
	cfg := driver.Config{}
	for _, s := range settings {
		a := content.Attributes[s.Name]
		if a == nil {
			if s.Default != nil {
				cfg[s.Name] = s.Default
			}
			continue
		}
		if v, ok := d.settingValue(a, s, allowSensitive); ok {
			cfg[s.Name] = v
		}
	}
	return cfg
}

var settingCtyTypes = map[driver.SettingType]cty.Type{
	driver.String: cty.String, driver.Int: cty.Number, driver.Number: cty.Number,
	driver.Bool: cty.Bool, driver.Duration: cty.String,
	driver.StringMap: cty.Map(cty.String), driver.StringList: cty.List(cty.String),
}

func (d *decoder) settingValue(a *hcl.Attribute, s driver.Setting, allowSensitive bool) (any, bool) {
	v, ok := d.evalAs(a.Expr, d.evalContext(), s.Name, settingCtyTypes[s.Type])
	if !ok {
		return nil, false
	}
	if !allowSensitive && v.ContainsMarked() {
		d.errorf(a.Expr.Range().Ptr(), "Sensitive value in a template setting",
			"%s identifies the VM image and is shown in plans, so it cannot come from a sensitive value.", s.Name)
		return nil, false
	}
	v, _ = v.UnmarkDeep()
	if hasNullElement(v) {
		d.errorf(a.Expr.Range().Ptr(), "Invalid value", "The attribute %q must not contain null values.", s.Name)
		return nil, false
	}
	out, ok := d.goValue(v, a, s)
	if !ok {
		return nil, false
	}
	if s.Check != nil {
		if err := s.Check(out); err != nil {
			d.errorf(a.Expr.Range().Ptr(), "Invalid value for "+s.Name, "%s", sentence(err.Error()))
			return nil, false
		}
	}
	return out, true
}

func (d *decoder) goValue(v cty.Value, a *hcl.Attribute, s driver.Setting) (any, bool) {
	switch s.Type {
	case driver.String:
		return v.AsString(), true
	case driver.Int:
		return d.wholeNumber(v, a.Expr, s.Name, -1<<62, 1<<62)
	case driver.Number:
		f, _ := v.AsBigFloat().Float64()
		return f, true
	case driver.Bool:
		return v.True(), true
	case driver.Duration:
		dur, err := time.ParseDuration(v.AsString())
		if err != nil || dur < 0 {
			d.errorf(a.Expr.Range().Ptr(), "Invalid duration",
				"The attribute %q must be a duration such as \"50ms\", \"2s\" or \"1m30s\"; got %q.", s.Name, v.AsString())
			return nil, false
		}
		return dur, true
	case driver.StringMap:
		m := map[string]string{}
		for k, e := range v.AsValueMap() {
			m[k] = e.AsString()
		}
		return m, true
	default:
		var l []string
		for _, e := range v.AsValueSlice() {
			l = append(l, e.AsString())
		}
		return l, true
	}
}

// sentence makes sure a message starts upper-case and ends with a period.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		s += "."
	}
	return s
}

// hasNullElement reports whether a collection holds a null.
func hasNullElement(v cty.Value) bool {
	if !v.CanIterateElements() {
		return false
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, e := it.Element(); e.IsNull() {
			return true
		}
	}
	return false
}
