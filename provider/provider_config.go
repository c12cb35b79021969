package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// readBackend reads one backend block: every setting from the block, else
// from its environment variable, else the driver's default; then checks
// required settings and runs every setting's check.
func readBackend(ctx context.Context, f driver.Factory, obj types.Object, at path.Path) (*backend, diag.Diagnostics) {
	var diags diag.Diagnostics
	attrs := obj.Attributes()
	name, _ := attrs["name"].(types.String)
	if name.IsUnknown() || name.ValueString() == "" {
		diags.AddAttributeError(at.AtName("name"), "Backend name unknown", "A backend's name must be known when Terraform plans.")
		return nil, diags
	}
	b := &backend{name: name.ValueString(), typ: f.Type, factory: f, config: driver.Config{}}
	meta := driver.Config{}
	readSettings(ctx, f.Type, f.Settings, attrs, at, b.config, &diags)
	readSettings(ctx, f.Type, spec.MetaSettings, attrs, at, meta, &diags)
	if diags.HasError() {
		return nil, diags
	}
	b.config.SetDefaults(f.Settings)
	meta.SetDefaults(spec.MetaSettings)
	b.parallelism, b.rateLimit = int(meta.Int("parallelism")), meta.Number("rate_limit")
	return b, diags
}

// readSettings puts the value of each setting that is configured, or set
// in its environment variable, in cfg; defaults are the caller's
// (driver.Config.SetDefaults).
func readSettings(ctx context.Context, typ string, settings []driver.Setting, attrs map[string]attr.Value, at path.Path, cfg driver.Config, diags *diag.Diagnostics) {
	for _, s := range settings {
		if v, ok := settingValue(ctx, typ, s, attrs[s.Name], at.AtName(s.Name), diags); ok {
			cfg[s.Name] = v
		}
	}
}

// settingValue reads one setting: configured, else its environment
// variable (not for a driver.Setting.NoEnv setting). ok is false when it has neither (an error when the setting is
// required and has no default) or a bad value (added to diags).
func settingValue(ctx context.Context, typ string, s driver.Setting, v attr.Value, at path.Path, diags *diag.Diagnostics) (any, bool) {
	val, ok, err := fromConfigOrEnv(ctx, typ, s, v)
	if err == nil && ok {
		err = checkSetting(s, val)
	}
	switch {
	case err != nil:
		diags.AddAttributeError(at, "Invalid value for "+s.Name, refusal(typ, s, v, err))
		return nil, false
	case ok:
		return val, true
	case s.Required && s.Default == nil:
		diags.AddAttributeError(at, "Missing required setting",
			fmt.Sprintf("The %s backend needs %s (%s). Set it in the block or in the environment variable %s.",
				typ, s.Name, s.Description, envName(typ, s.Name)))
	}
	return nil, false
}

func fromConfigOrEnv(ctx context.Context, typ string, s driver.Setting, v attr.Value) (any, bool, error) {
	if v != nil && !v.IsNull() {
		return settingFromValue(ctx, s, v)
	}
	if s.NoEnv {
		return nil, false, nil
	}
	text, set := os.LookupEnv(envName(typ, s.Name))
	if !set || text == "" {
		return nil, false, nil
	}
	val, err := parseSetting(s, text)
	if err != nil {
		return nil, false, fmt.Errorf("environment variable %s: %w", envName(typ, s.Name), err)
	}
	return val, true, nil
}

// refusal is the detail of a refused setting. A driver's reason may quote
// the value, so for a sensitive setting it is not shown.
func refusal(typ string, s driver.Setting, v attr.Value, err error) string {
	if !s.Sensitive {
		return spec.Sentence(err.Error())
	}
	from := "The value"
	if v == nil || v.IsNull() {
		from = "The value of the environment variable " + envName(typ, s.Name)
	}
	msg := from + " is sensitive, so the reason it was refused, which could quote it, is not shown."
	if s.Description != "" {
		msg += " " + s.Name + ": " + spec.Sentence(s.Description)
	}
	return msg
}
