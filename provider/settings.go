package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
)

// envName is the environment variable a backend setting falls back to:
// NOVACRON_<TYPE>_<SETTING>, upper-case.
func envName(typ, setting string) string {
	return "NOVACRON_" + strings.ToUpper(typ) + "_" + strings.ToUpper(setting)
}

// settingFromValue converts a Terraform value of a setting to the Go type the
// driver expects. ok is false for a null value.
func settingFromValue(ctx context.Context, s driver.Setting, v attr.Value) (any, bool, error) {
	if v == nil || v.IsNull() {
		return nil, false, nil
	}
	if v.IsUnknown() {
		return nil, false, fmt.Errorf("%s is not known until apply; backend settings must be known when Terraform plans", s.Name)
	}
	switch tv := v.(type) {
	case types.String:
		out, err := parseSetting(s, tv.ValueString())
		return out, err == nil, err
	case types.Int64:
		return tv.ValueInt64(), true, nil
	case types.Float64:
		return tv.ValueFloat64(), true, nil
	case types.Bool:
		return tv.ValueBool(), true, nil
	case types.Map:
		m := map[string]string{}
		diags := tv.ElementsAs(ctx, &m, false)
		return m, true, diagsError(diags)
	case types.List:
		var l []string
		diags := tv.ElementsAs(ctx, &l, false)
		return l, true, diagsError(diags)
	}
	return nil, false, fmt.Errorf("%s has an unexpected value type %T", s.Name, v)
}

// parseSetting reads a setting from text: a string attribute (strings and
// durations) or an environment variable (every type). Lists are
// comma-separated, maps are comma-separated key=value pairs.
func parseSetting(s driver.Setting, text string) (any, error) {
	switch s.Type {
	case driver.String:
		return text, nil
	case driver.Int:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s must be a whole number; got %q", s.Name, text)
		}
		return n, nil
	case driver.Number:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return nil, fmt.Errorf("%s must be a number; got %q", s.Name, text)
		}
		return f, nil
	case driver.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%s must be true or false; got %q", s.Name, text)
		}
		return b, nil
	case driver.Duration:
		return parseDuration(s.Name, text)
	case driver.StringList:
		return splitList(text), nil
	case driver.StringMap:
		return parseMap(s.Name, text)
	}
	return nil, fmt.Errorf("%s has an unsupported type %s", s.Name, s.Type)
}

func splitList(text string) []string {
	var out []string
	for part := range strings.SplitSeq(text, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseMap(name, text string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range splitList(text) {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%s must be key=value pairs separated by commas; %q has no '='", name, pair)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// checkSetting converts and checks one setting the way the driver will.
func checkSetting(s driver.Setting, v any) error {
	if s.Check == nil {
		return nil
	}
	return s.Check(v)
}

// diagsError folds framework error diagnostics into one error.
func diagsError(diags diag.Diagnostics) error {
	if !diags.HasError() {
		return nil
	}
	var msgs []string
	for _, d := range diags.Errors() {
		msgs = append(msgs, d.Summary()+": "+d.Detail())
	}
	return errors.New(strings.Join(msgs, "; "))
}

// templateConfig converts a template map (all strings, as Terraform holds
// it) to a driver.Config by the driver's declared template settings: every
// key must be a setting, every required setting present, every value of the
// right type and accepted by the setting's check.
func templateConfig(settings []driver.Setting, m map[string]string) (driver.Config, error) {
	byName := make(map[string]driver.Setting, len(settings))
	for _, s := range settings {
		byName[s.Name] = s
	}
	cfg := driver.Config{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s, ok := byName[k]
		if !ok {
			return nil, fmt.Errorf("the template has no setting %q; this backend's templates take: %s", k, settingNames(settings))
		}
		v, err := parseSetting(s, m[k])
		if err == nil {
			err = checkSetting(s, v)
		}
		if err != nil {
			return nil, fmt.Errorf("template setting %s: %w", k, err)
		}
		cfg[k] = v
	}
	for _, s := range settings {
		if _, ok := cfg[s.Name]; !ok && s.Required {
			return nil, fmt.Errorf("the template must set %s (%s)", s.Name, s.Description)
		}
	}
	cfg.SetDefaults(settings)
	return cfg, nil
}

func settingNames(settings []driver.Setting) string {
	names := make([]string, len(settings))
	for i, s := range settings {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// parseDuration reads a duration setting, which may not be negative.
func parseDuration(name, text string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(text))
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s must be a duration such as \"50ms\", \"2s\" or \"1m30s\"; got %q", name, text)
	case d < 0:
		return 0, fmt.Errorf("%s must not be negative; got %q", name, text)
	}
	return d, nil
}
