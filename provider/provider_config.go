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
	for _, s := range f.Settings {
		v, ok := settingValue(ctx, f.Type, s, attrs[s.Name], at.AtName(s.Name), &diags)
		if ok {
			b.config[s.Name] = v
		}
	}
	for _, s := range spec.MetaSettings {
		v, ok := settingValue(ctx, f.Type, s, attrs[s.Name], at.AtName(s.Name), &diags)
		switch {
		case !ok:
		case s.Name == "parallelism":
			b.parallelism = int(v.(int64))
		case s.Name == "rate_limit":
			b.rateLimit = v.(float64)
		}
	}
	if diags.HasError() {
		return nil, diags
	}
	return b, diags
}

// settingValue resolves one setting: configured, else its environment
// variable, else its default. ok is false when it has no value (or a bad
// one, which is added to diags).
func settingValue(ctx context.Context, typ string, s driver.Setting, v attr.Value, at path.Path, diags *diag.Diagnostics) (any, bool) {
	val, ok, err := fromConfigOrEnv(ctx, typ, s, v)
	if err == nil && ok {
		err = checkSetting(s, val)
	}
	switch {
	case err != nil:
		diags.AddAttributeError(at, "Invalid value for "+s.Name, sentence(err.Error()))
		return nil, false
	case ok:
		return val, true
	case s.Default != nil:
		return s.Default, true
	case s.Required:
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
