package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/secret"
	"github.com/novacron/novacron/engine/spec"
)

// backend is one configured backend block: a driver type, a name, its
// settings, and the executor limits of its meta-arguments.
type backend struct {
	name, typ   string
	factory     driver.Factory
	config      driver.Config
	parallelism int
	rateLimit   float64
	dataDir     string
}

// key is the engine's provider key, TYPE.NAME.
func (b *backend) key() string { return b.typ + "." + b.name }

// driver returns the backend's shared driver, opening it on first use.
func (b *backend) driver(ctx context.Context) (driver.Driver, error) {
	d, err := drivers.get(ctx, b)
	if err != nil {
		return nil, b.redactor().Error(fmt.Errorf("opening backend %q (%s): %w", b.name, b.typ, err))
	}
	return d, nil
}

// specProvider is the backend as the engine's spec model has it, with the
// settings its driver declares sensitive, which the core's Redactor
// removes from what the driver says.
func (b *backend) specProvider() *spec.Provider {
	p := &spec.Provider{
		Type: b.typ, Name: b.name, Config: b.config, Factory: b.factory,
		Parallelism: b.parallelism, RateLimit: b.rateLimit,
	}
	for _, s := range b.factory.Settings {
		if _, set := b.config[s.Name]; set && s.Sensitive {
			p.Sensitive = append(p.Sensitive, s.Name)
		}
	}
	return p
}

// redactor removes the backend's sensitive settings from what its driver
// says outside an operation (opening it, reading its inventory).
func (b *backend) redactor() *secret.Redactor {
	p := b.specProvider()
	return (&spec.Spec{Providers: map[string]*spec.Provider{p.Key(): p}}).Redactor()
}

// templateRef converts a resource's template and sensitive_template maps
// by the driver's template settings, marking the sensitive ones. Errors
// name the attribute; they never show a value of sensitive_template.
func (b *backend) templateRef(ctx context.Context, template, secret types.Map) (driver.TemplateRef, diag.Diagnostics) {
	var diags diag.Diagnostics
	plain, hidden := stringMap(ctx, template, &diags), stringMap(ctx, secret, &diags)
	merged := maps.Clone(plain)
	if merged == nil {
		merged = map[string]string{}
	}
	for k, v := range hidden {
		if _, both := plain[k]; both {
			diags.AddAttributeError(path.Root("sensitive_template"), "Invalid template",
				fmt.Sprintf("Template setting %s is set in both template and sensitive_template: set it in one.", k))
		}
		merged[k] = v
	}
	for _, s := range b.factory.TemplateSettings {
		if _, in := plain[s.Name]; in && s.Sensitive {
			diags.AddAttributeError(path.Root("template"), "Sensitive template setting",
				fmt.Sprintf("Template setting %s is sensitive: set it in sensitive_template, which Terraform never stores.", s.Name))
		}
	}
	if diags.HasError() {
		return driver.TemplateRef{}, diags
	}
	cfg, err := templateConfig(b.factory.TemplateSettings, merged)
	if err != nil {
		diags.AddAttributeError(path.Root("template"), "Invalid template", redact(spec.Sentence(err.Error()), hidden))
		return driver.TemplateRef{}, diags
	}
	return driver.TemplateRef{Name: templateName, Config: cfg, Sensitive: b.sensitive(cfg, hidden)}, diags
}

// sensitive marks the template settings whose values the engine seals in
// the template's ID (see sealTemplates): those of sensitive_template, and
// any the driver declares sensitive; nil when there are none.
func (b *backend) sensitive(cfg driver.Config, hidden map[string]string) map[string]string {
	out := map[string]string{}
	for k := range hidden {
		out[k] = "" // until sealed
	}
	for _, s := range b.factory.TemplateSettings {
		if _, set := cfg[s.Name]; set && s.Sensitive {
			out[s.Name] = ""
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// redact replaces every value of secrets in text.
func redact(text string, secrets map[string]string) string {
	for _, v := range secrets {
		if v != "" {
			text = strings.ReplaceAll(text, v, "(sensitive value)")
		}
	}
	return text
}

// backends are the provider's configured backends by name; resources and
// data sources receive them from Configure.
type backends struct {
	byName map[string]*backend
}

// lookup returns the named backend, or an error diagnostic on the
// attribute that named it.
func (bs *backends) lookup(name string, at path.Path) (*backend, diag.Diagnostics) {
	var diags diag.Diagnostics
	if bs == nil {
		diags.AddError("Provider not configured",
			"The novacron provider was not configured before use. This is a bug in Terraform or the provider; please report it.")
		return nil, diags
	}
	b := bs.byName[name]
	if b == nil {
		names := slices.Sorted(maps.Keys(bs.byName))
		known := "The provider configures no backends: add a block such as sim { name = \"lab\" } to the provider configuration."
		if len(names) > 0 {
			known = "The configured backends are: " + strings.Join(names, ", ") + "."
		}
		diags.AddAttributeError(at, "Unknown backend", fmt.Sprintf("There is no backend named %q. %s", name, known))
	}
	return b, diags
}
