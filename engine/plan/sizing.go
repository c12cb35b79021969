package plan

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// chooseProviders settles, for every fleet with sizing = "cheapest", the
// provider of those it lists where its VMs cost least a month (the sum
// over its instances, each at the cheapest size that holds it). Ties go to
// the provider listed first. The diff then sees the fleet on that
// provider: the spec is copied, never changed.
func (d *differ) chooseProviders() {
	s := d.in.Spec
	if s == nil || d.in.Destroy {
		return
	}
	var out *spec.Spec
	for i, f := range s.Fleets {
		if f.Sizing != spec.SizingCheapest || len(f.Instances) == 0 {
			continue
		}
		p := d.cheapestProvider(f)
		if p == nil || p == f.Provider {
			continue
		}
		if out == nil {
			c := *s
			c.Fleets = slices.Clone(s.Fleets)
			out = &c
		}
		out.Fleets[i] = onProvider(f, p)
	}
	if out != nil {
		d.in.Spec = out
	}
}

// cheapestProvider is the provider where the fleet costs least; nil, with
// an error naming each provider's reason, when none can price it.
func (d *differ) cheapestProvider(f *spec.Fleet) *spec.Provider {
	var best *spec.Provider
	bestCost := 0.0
	var why []string
	for _, p := range f.Providers {
		cost, err := d.fleetCost(f, p)
		if err != nil {
			why = append(why, fmt.Sprintf("  - %s: %v", p.Key(), err))
			continue
		}
		if best == nil || cost < bestCost {
			best, bestCost = p, cost
		}
	}
	if best == nil {
		d.errorf(f.Range("providers").Ptr(), "No provider can size the fleet",
			"sizing = %q found no provider of %s that prices its VMs:\n%s", spec.SizingCheapest, f.Address(), strings.Join(why, "\n"))
	}
	return best
}

// fleetCost is the monthly cost of the fleet's instances on provider p.
func (d *differ) fleetCost(f *spec.Fleet, p *spec.Provider) (float64, error) {
	pr := d.in.Prices[p.Key()]
	if pr == nil {
		return 0, errors.New("the driver has no prices")
	}
	ref := f.TemplateFor(p.Type)
	total := 0.0
	for _, inst := range f.Instances {
		price, err := pr.Price(driver.PriceRequest{CPU: inst.CPU, MemoryMiB: inst.MemoryMiB, DiskGB: inst.DiskGB, Template: ref})
		if err != nil {
			return 0, fmt.Errorf("%s: %w", inst.Address, err)
		}
		total += price.Monthly()
	}
	return total, nil
}

// onProvider is a copy of the fleet, and of its instances, on provider p.
func onProvider(f *spec.Fleet, p *spec.Provider) *spec.Fleet {
	g := fleetOn(f, p)
	g.Instances = make([]*spec.Instance, len(f.Instances))
	for i, inst := range f.Instances {
		c := *inst
		c.Fleet = g
		g.Instances[i] = &c
	}
	return g
}

// fleetOn is a copy of the fleet on provider p, sharing its instances.
func fleetOn(f *spec.Fleet, p *spec.Provider) *spec.Fleet {
	g := *f
	g.AltTemplates = maps.Clone(f.AltTemplates)
	if g.AltTemplates == nil {
		g.AltTemplates = map[string]driver.TemplateRef{}
	}
	g.AltTemplates[f.Provider.Type] = f.TemplateRef
	g.Provider, g.TemplateRef = p, f.TemplateFor(p.Type)
	return &g
}
