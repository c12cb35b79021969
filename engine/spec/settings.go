package spec

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// decodeSettings decodes a block body against a driver's declared settings.
// It also returns the names of the settings whose values are sensitive:
// those the driver declares so, and those given a sensitive value. No
// diagnostic shows such a value.
func (d *decoder) decodeSettings(body hcl.Body, settings []driver.Setting) (driver.Config, []string) {
	schema := &hcl.BodySchema{}
	for _, s := range settings {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: s.Name, Required: s.Required})
	}
	content, diags := body.Content(schema)
	d.diags = append(d.diags, diags...)
	cfg := driver.Config{}
	var sensitive []string
	for _, s := range settings {
		a := content.Attributes[s.Name]
		if a == nil {
			continue
		}
		v, secret, ok := d.settingValue(a, s)
		if ok {
			cfg[s.Name] = v
		}
		if ok && secret {
			sensitive = append(sensitive, s.Name)
		}
	}
	cfg.SetDefaults(settings)
	return cfg, sensitive
}

var settingCtyTypes = map[driver.SettingType]cty.Type{
	driver.String: cty.String, driver.Int: cty.Number, driver.Number: cty.Number,
	driver.Bool: cty.Bool, driver.Duration: cty.String,
	driver.StringMap: cty.Map(cty.String), driver.StringList: cty.List(cty.String),
}

func (d *decoder) settingValue(a *hcl.Attribute, s driver.Setting) (out any, secret, ok bool) {
	v, ok := d.evalAs(a.Expr, d.evalContext(), s.Name, settingCtyTypes[s.Type])
	if !ok {
		return nil, false, false
	}
	secret = s.Sensitive || v.ContainsMarked()
	if s.Shown && shownMarked(v, s.Type) {
		d.errorf(a.Expr.Range().Ptr(), "Sensitive value in a shown setting",
			"%s names what plans, state and `nova-plan inventory` show (hosts), so it cannot come from a sensitive value: give it a value that is not secret.", s.Name)
		return nil, secret, false
	}
	v, _ = v.UnmarkDeep()
	if hasNullElement(v) {
		d.errorf(a.Expr.Range().Ptr(), "Invalid value", "The attribute %q must not contain null values.", s.Name)
		return nil, secret, false
	}
	if out, ok = d.goValue(v, a, s, secret); !ok {
		return nil, secret, false
	}
	if bad := settingText(out); bad != "" {
		d.errorf(a.Expr.Range().Ptr(), "Invalid value for "+s.Name, "The value has %s: drivers take text (tabs and newlines are allowed).", bad)
		return nil, secret, false
	}
	if err := checkSetting(s, out); err != nil {
		d.errorf(a.Expr.Range().Ptr(), "Invalid value for "+s.Name, "%s", checkMessage(s, err, secret))
		return nil, secret, false
	}
	if secret {
		d.warnShortSecret(a, out)
	}
	return out, secret, true
}

func checkSetting(s driver.Setting, v any) error {
	if s.Check == nil {
		return nil
	}
	return s.Check(v)
}

// checkMessage is the detail of a value the driver refused. A driver's
// reason may quote the value, so for a sensitive one it is not shown.
func checkMessage(s driver.Setting, err error, secret bool) string {
	if !secret {
		return Sentence(err.Error())
	}
	msg := "The value is sensitive, so the driver's reason for refusing it, which could quote it, is not shown."
	if s.Description != "" {
		msg += " " + s.Name + ": " + Sentence(s.Description)
	}
	return msg
}

// settingText describes the first character of a setting's text that no
// driver takes (a control character other than tab, newline and carriage
// return, or a byte that is not UTF-8), or returns "".
func settingText(v any) string {
	var texts []string
	switch v := v.(type) {
	case string:
		texts = []string{v}
	case []string:
		texts = v
	case map[string]string:
		for k, e := range v {
			texts = append(texts, k, e)
		}
	}
	for _, t := range texts {
		if bad := unprintable(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(t)); bad != "" {
			return bad
		}
	}
	return ""
}

// goValue converts a value to the Go type of its setting; secret keeps the
// value out of diagnostics.
func (d *decoder) goValue(v cty.Value, a *hcl.Attribute, s driver.Setting, secret bool) (any, bool) {
	switch s.Type {
	case driver.String:
		return v.AsString(), true
	case driver.Int:
		return d.wholeNumber(v, a.Expr, s.Name, -1<<62, 1<<62, secret)
	case driver.Number:
		f, _ := v.AsBigFloat().Float64()
		return f, true
	case driver.Bool:
		return v.True(), true
	case driver.Duration:
		dur, err := time.ParseDuration(v.AsString())
		if err != nil || dur < 0 {
			what := "be a duration such as \"50ms\", \"2s\" or \"1m30s\""
			if err == nil {
				what = "not be negative"
			}
			d.errorf(a.Expr.Range().Ptr(), "Invalid duration",
				"The attribute %q must %s; got %s.", s.Name, what, shown(fmt.Sprintf("%q", v.AsString()), secret))
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

// shown is text for a diagnostic, or a placeholder when it is secret.
func shown(text string, secret bool) string {
	if secret {
		return "(sensitive value)"
	}
	return text
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

// shownMarked reports whether the part of a setting's value that is shown
// is sensitive: a map's keys (the map itself is marked), or any of a
// string's or list's text.
func shownMarked(v cty.Value, t driver.SettingType) bool {
	if t == driver.StringMap {
		return v.IsMarked()
	}
	return v.ContainsMarked()
}

// settingRanges is where body sets each of settings' attributes (its
// diagnostics are decodeSettings').
func settingRanges(body hcl.Body, settings []driver.Setting) map[string]hcl.Range {
	schema := &hcl.BodySchema{}
	for _, s := range settings {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: s.Name})
	}
	content, _, _ := body.PartialContent(schema)
	out := make(map[string]hcl.Range, len(content.Attributes))
	for name, a := range content.Attributes {
		out[name] = a.Expr.Range()
	}
	return out
}
