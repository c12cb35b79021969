package spec

import (
	"errors"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

func (d *decoder) decodeProvider(b *hcl.Block) {
	typ, name := b.Labels[0], b.Labels[1]
	f, ok := d.opts.Registry.Lookup(typ)
	if !ok {
		d.errorf(b.LabelRanges[0].Ptr(), "Unknown driver type",
			"There is no driver of type %q. The available types are: %s.", typ, strings.Join(d.opts.Registry.Types(), ", "))
		return
	}
	if !d.declare("provider", typ+"."+name, b.DefRange) {
		return
	}
	p := &Provider{Type: typ, Name: name, Factory: f, DeclRange: b.DefRange}
	p.Config, p.Sensitive = d.decodeSettings(b.Body, append(slices.Clone(f.Settings), MetaSettings...))
	p.Parallelism = int(p.Config.Int("parallelism"))
	p.RateLimit = p.Config.Number("rate_limit")
	delete(p.Config, "parallelism")
	delete(p.Config, "rate_limit")
	d.spec.Providers[p.Key()] = p
}

func (d *decoder) decodeTemplate(b *hcl.Block) {
	name := b.Labels[0]
	if !d.declare("template", name, b.DefRange) {
		return
	}
	schema := &hcl.BodySchema{}
	for _, t := range d.opts.Registry.Types() {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	content, diags := b.Body.Content(schema)
	d.diags = append(d.diags, diags...)
	t := &Template{Name: name, Mappings: map[string]driver.Config{}, Sensitive: map[string][]string{}, SettingRanges: map[string]map[string]hcl.Range{}, DeclRange: b.DefRange}
	seen := map[string]hcl.Range{}
	for _, mb := range content.Blocks {
		if first, dup := seen[mb.Type]; dup {
			d.errorf(mb.DefRange.Ptr(), "Duplicate mapping",
				"Template %q already has a %s mapping at %s.", name, mb.Type, first)
			continue
		}
		seen[mb.Type] = mb.DefRange
		f, _ := d.opts.Registry.Lookup(mb.Type)
		t.Mappings[mb.Type], t.Sensitive[mb.Type] = d.decodeSettings(mb.Body, f.TemplateSettings)
		t.SettingRanges[mb.Type] = settingRanges(mb.Body, f.TemplateSettings)
	}
	d.spec.Templates[name] = t
}

// MetaSettings are the settings every provider block takes, whatever its
// driver: they tune how the executor talks to the provider. The Terraform
// provider's backend blocks take them too.
var MetaSettings = []driver.Setting{
	{
		Name: "parallelism", Type: driver.Int,
		Description: "At most this many actions run against the provider at once (the global parallelism still applies).",
		Check: func(v any) error {
			if n, _ := v.(int64); n < 1 || n > 10000 {
				return errors.New("parallelism must be between 1 and 10000")
			}
			return nil
		},
	},
	{
		Name: "rate_limit", Type: driver.Number,
		Description: "At most this many calls per second to the provider.",
		Check: func(v any) error {
			if f, _ := v.(float64); !(f > 0) {
				return errors.New("rate_limit must be more than 0 calls per second")
			}
			return nil
		},
	},
}
