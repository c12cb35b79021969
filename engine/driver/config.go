package driver

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SettingType is the type of a provider or template setting.
type SettingType int

// The setting types. Values in a Config have the Go types noted.
const (
	String     SettingType = iota // string
	Int                           // int64
	Number                        // float64
	Bool                          // bool
	Duration                      // time.Duration, written as "50ms", "2s"
	StringMap                     // map[string]string
	StringList                    // []string
)

func (t SettingType) String() string {
	return [...]string{"string", "whole number", "number", "bool", "duration", "map of string", "list of string"}[t]
}

// Setting declares one attribute of a provider or template block.
type Setting struct {
	Name        string
	Type        SettingType
	Required    bool
	Sensitive   bool // never printed, logged, or stored in plan or state
	Default     any  // of the Go type of Type; nil for none
	Description string
	// Check validates a value already of the right type; its error message
	// becomes the detail of a diagnostic on the attribute.
	Check func(v any) error
	// Shown says that the value (a map's keys) names what plans, state and
	// inventory show, such as hosts: it must not be sensitive, and the
	// spec refuses a sensitive value for it.
	Shown bool
	// NoEnv says that the value is read only where it is written, never
	// from an environment variable: a setting that turns a safeguard off
	// (TLS verification) must be asked for by name.
	NoEnv bool
}

// Config holds decoded settings by name, with defaults applied.
type Config map[string]any

// String returns a string setting, or "" when absent.
func (c Config) String(name string) string { s, _ := c[name].(string); return s }

// Int returns a whole-number setting, or 0 when absent.
func (c Config) Int(name string) int64 { n, _ := c[name].(int64); return n }

// Number returns a number setting, or 0 when absent.
func (c Config) Number(name string) float64 {
	switch n := c[name].(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	}
	return 0
}

// Bool returns a bool setting, or false when absent.
func (c Config) Bool(name string) bool { b, _ := c[name].(bool); return b }

// Duration returns a duration setting, or 0 when absent.
func (c Config) Duration(name string) time.Duration { d, _ := c[name].(time.Duration); return d }

// StringMap returns a map setting, or nil when absent.
func (c Config) StringMap(name string) map[string]string {
	m, _ := c[name].(map[string]string)
	return m
}

// StringList returns a list setting, or nil when absent.
func (c Config) StringList(name string) []string { l, _ := c[name].([]string); return l }

// Format renders one value canonically (used by TemplateRef.ID).
func (c Config) Format(name string) string {
	switch v := c[name].(type) {
	case string:
		return strconv.Quote(v)
	case map[string]string:
		keys := slices.Sorted(maps.Keys(v))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ":" + strconv.Quote(v[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []string:
		parts := make([]string, len(v))
		for i, s := range v {
			parts[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		return fmt.Sprint(v)
	}
}

// Redacted returns a copy of c with sensitive settings replaced by a
// placeholder, for display.
func (c Config) Redacted(settings []Setting) Config {
	out := maps.Clone(c)
	for _, s := range settings {
		if _, ok := out[s.Name]; ok && s.Sensitive {
			out[s.Name] = "(sensitive)"
		}
	}
	return out
}

// SetDefaults sets the Default of each setting c holds no value (or nil)
// for.
func (c Config) SetDefaults(settings []Setting) {
	for _, s := range settings {
		if c[s.Name] == nil && s.Default != nil {
			c[s.Name] = s.Default
		}
	}
}

// Resolve returns the values c holds for settings, with the defaults of
// those it lacks, after running each setting's Check: what a driver's Open
// makes of a Config that may not have come through the engine's decoding
// (which checks and fills it already). Values of settings not declared are
// left out.
func Resolve(settings []Setting, c Config) (Config, error) {
	full := make(Config, len(settings))
	for _, s := range settings {
		if v := c[s.Name]; v != nil {
			full[s.Name] = v
		}
	}
	full.SetDefaults(settings)
	for _, s := range settings {
		if v, ok := full[s.Name]; ok && s.Check != nil {
			if err := s.Check(v); err != nil {
				return nil, err
			}
		}
	}
	return full, nil
}
