package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/driver"
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
		return nil, fmt.Errorf("opening backend %q (%s): %w", b.name, b.typ, err)
	}
	return d, nil
}

// specProvider is the backend as the engine's spec model has it.
func (b *backend) specProvider() *spec.Provider {
	return &spec.Provider{
		Type: b.typ, Name: b.name, Config: b.config, Factory: b.factory,
		Parallelism: b.parallelism, RateLimit: b.rateLimit,
	}
}

// templateRef converts a resource's template map by the driver's template
// settings.
func (b *backend) templateRef(m map[string]string) (driver.TemplateRef, error) {
	cfg, err := templateConfig(b.factory.TemplateSettings, m)
	if err != nil {
		return driver.TemplateRef{}, err
	}
	return driver.TemplateRef{Name: cfg.Format(firstKey(cfg)), Config: cfg}, nil
}

func firstKey(c driver.Config) string {
	keys := slices.Sorted(maps.Keys(c))
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
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
