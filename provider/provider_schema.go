package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// providerSchema is the provider configuration: data_dir and one list block
// per registered driver type, generated from the registry.
func providerSchema(reg *driver.Registry) schema.Schema {
	s := schema.Schema{
		Description: "Manages virtual machines and whole fleets of them through NovaCron's engine. " +
			"Configure one or more named backends, one block per backend, named after the driver type.",
		Attributes: map[string]schema.Attribute{
			"data_dir": schema.StringAttribute{
				Optional: true,
				Description: "Folder where backends that keep local files (the simulator) keep them. " +
					"Default: the NOVACRON_DATA_DIR environment variable, else `.novacron` in Terraform's working directory.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{},
	}
	for _, typ := range reg.Types() {
		f, _ := reg.Lookup(typ)
		s.Blocks[typ] = backendBlock(f)
	}
	return s
}

func backendBlock(f driver.Factory) schema.Block {
	attrs := map[string]schema.Attribute{
		"name": schema.StringAttribute{
			Required:    true,
			Description: "The backend's name, unique among all backends; resources select it with `backend = \"NAME\"`.",
			Validators:  []validator.String{stringvalidator.RegexMatches(backendNameRe, "must be letters, digits, '_' and '-', starting with a letter, digit or '_'")},
		},
	}
	for _, s := range append(append([]driver.Setting{}, f.Settings...), spec.MetaSettings...) {
		attrs[s.Name] = settingAttribute(f.Type, s)
	}
	return schema.ListNestedBlock{
		Description:  fmt.Sprintf("A %s backend: %s. Repeat the block for several backends of this type.", f.Type, f.Description),
		NestedObject: schema.NestedBlockObject{Attributes: attrs},
	}
}

// settingAttribute is the schema attribute of one driver setting. Required
// settings are optional in the schema because an environment variable may
// give them; Configure reports one that neither gives.
func settingAttribute(typ string, s driver.Setting) schema.Attribute {
	desc := settingDescription(typ, s)
	check := settingValidator{s}
	switch s.Type {
	case driver.Int:
		return schema.Int64Attribute{Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.Int64{check}}
	case driver.Number:
		return schema.Float64Attribute{Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.Float64{check}}
	case driver.Bool:
		return schema.BoolAttribute{Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.Bool{check}}
	case driver.StringMap:
		return schema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.Map{check}}
	case driver.StringList:
		return schema.ListAttribute{ElementType: types.StringType, Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.List{check}}
	default: // String, Duration
		return schema.StringAttribute{Optional: true, Sensitive: s.Sensitive, Description: desc, Validators: []validator.String{check}}
	}
}

func settingDescription(typ string, s driver.Setting) string {
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(s.Description, "."))
	b.WriteString(".")
	if s.Type == driver.Duration {
		b.WriteString(" A duration such as \"50ms\" or \"2s\".")
	}
	if s.Required {
		b.WriteString(" Required.")
	}
	if s.Default != nil {
		fmt.Fprintf(&b, " Default: %v.", s.Default)
	}
	if s.NoEnv {
		b.WriteString(" Read only from the configuration, never from the environment.")
		return b.String()
	}
	fmt.Fprintf(&b, " Environment variable: %s.", envName(typ, s.Name))
	return b.String()
}

// settingValidator runs a driver setting's own Check on a configured value,
// so a bad value is an error on the attribute at plan time.
type settingValidator struct{ s driver.Setting }

var (
	_ validator.String  = settingValidator{}
	_ validator.Int64   = settingValidator{}
	_ validator.Float64 = settingValidator{}
	_ validator.Bool    = settingValidator{}
	_ validator.Map     = settingValidator{}
	_ validator.List    = settingValidator{}
)

func (v settingValidator) Description(context.Context) string {
	return "the " + v.s.Name + " setting's own check"
}

func (v settingValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v settingValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}

func (v settingValidator) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}

func (v settingValidator) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}

func (v settingValidator) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}

func (v settingValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}

func (v settingValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.ConfigValue, req.Path)...)
}
