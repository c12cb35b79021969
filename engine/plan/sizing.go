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

// SizingMoveMin is the least saving, as a share of what a fleet costs a
// month where its VMs are, for which sizing = "cheapest" moves them to
// another provider: as Karpenter consolidates only for a worthwhile
// saving, a smaller one is not worth replacing running VMs, and a tie
// never flips a fleet back and forth.
const SizingMoveMin = 0.10

// sizingMove is what sizing decided for a fleet whose VMs it moves: from
// the provider they are on to a cheaper one, saving so much a month.
type sizingMove struct {
	from, to string
	saving   float64
}

// chooseProviders settles, for every fleet with sizing = "cheapest", the
// provider of those it lists where its VMs cost least a month (the sum
// over its instances, each at the cheapest size that holds it). Ties go to
// the provider listed first; a fleet whose VMs exist stays where they are
// unless another provider saves at least SizingMoveMin of its cost. The
// diff then sees the fleet on that provider: the spec is copied, never
// changed.
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
		p := d.sizeFleet(f)
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

// sizeFleet is the provider sizing puts the fleet on; nil, with an error
// naming each provider's reason, when none can take it.
func (d *differ) sizeFleet(f *spec.Fleet) *spec.Provider {
	costs := make(map[*spec.Provider]float64, len(f.Providers))
	var best *spec.Provider
	var why []string
	for _, p := range f.Providers {
		cost, err := d.fleetCost(f, p)
		if err != nil {
			why = append(why, fmt.Sprintf("  - %s: %v", p.Key(), err))
			d.noteUnpriced(f, p, err)
			continue
		}
		costs[p] = cost
		if best == nil || cost < costs[best] {
			best = p
		}
	}
	if best == nil {
		d.errorf(f.Range("providers").Ptr(), "No provider can size the fleet",
			"sizing = %q found no provider of %s that prices and can hold its VMs:\n%s", spec.SizingCheapest, f.Address(), strings.Join(why, "\n"))
		return nil
	}
	return d.keepOrMove(f, best, costs)
}

// keepOrMove is best, or the provider the fleet's VMs are on when best
// does not save at least SizingMoveMin of what they cost there.
func (d *differ) keepOrMove(f *spec.Fleet, best *spec.Provider, costs map[*spec.Provider]float64) *spec.Provider {
	cur := d.currentProvider(f)
	if cur == nil || cur == best {
		return best
	}
	curCost, ok := costs[cur]
	if !ok {
		return best // it can no longer hold or price them
	}
	saving := curCost - costs[best]
	if saving < SizingMoveMin*curCost {
		return cur
	}
	if d.sizingMoves == nil {
		d.sizingMoves = map[string]sizingMove{}
	}
	d.sizingMoves[f.Address()] = sizingMove{from: cur.Key(), to: best.Key(), saving: saving}
	return best
}

// currentProvider is the provider of the fleet's list that the state
// records most of its VMs on (the first listed of equals), or nil.
func (d *differ) currentProvider(f *spec.Fleet) *spec.Provider {
	n := map[string]int{}
	for _, inst := range f.Instances {
		if rec := d.st.VMs[inst.Address]; rec != nil {
			n[rec.Provider]++
		}
	}
	var cur *spec.Provider
	for _, p := range f.Providers {
		if n[p.Key()] > 0 && (cur == nil || n[p.Key()] > n[cur.Key()]) {
			cur = p
		}
	}
	return cur
}

// sizingMoved marks a replace that sizing makes for price: made before
// the VM it replaces is destroyed (a name cannot clash across providers),
// in the fleet's rollout batches, with the saving as its reason.
func sizingMoved(c *Change, m sizingMove) {
	c.CreateBeforeDestroy = true
	c.Reasons = []string{fmt.Sprintf("sizing = %q: %s costs $%.2f/month less than %s for the fleet",
		spec.SizingCheapest, m.to, m.saving, m.from)}
}

// noteUnpriced warns that sizing skipped a provider without a price.
func (d *differ) noteUnpriced(f *spec.Fleet, p *spec.Provider, err error) {
	if errors.Is(err, driver.ErrUnpriced) || errors.Is(err, errNoPrices) {
		d.plan.Warnings = append(d.plan.Warnings, fmt.Sprintf(
			"sizing = %q of %s skips provider %s: it has no price (%v).", spec.SizingCheapest, f.Address(), p.Key(), err))
	}
}

// errNoPrices: the provider's driver knows no prices.
var errNoPrices = errors.New("the driver has no prices")

// fleetCost is the monthly cost of the fleet's instances on provider p;
// an error when p cannot price them or, on a hypervisor, no host of p
// could ever hold one (fitsHosts).
func (d *differ) fleetCost(f *spec.Fleet, p *spec.Provider) (float64, error) {
	pr := d.in.Prices[p.Key()]
	if pr == nil {
		return 0, errNoPrices
	}
	ref := f.TemplateFor(p.Type)
	fits := newHostFit(d.in.Inventories[p.Key()].Hosts, f)
	total := 0.0
	for _, inst := range f.Instances {
		if err := fits.check(inst); err != nil {
			return 0, fmt.Errorf("%s: %w", inst.Address, err)
		}
		price, err := pr.Price(driver.PriceRequest{CPU: inst.CPU, MemoryMiB: inst.MemoryMiB, DiskGB: inst.DiskGB, Template: ref})
		if err == nil {
			err = driver.CheckFinite(price.Hourly)
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", inst.Address, err)
		}
		total += price.Hourly * driver.HoursPerMonth
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

// fleetOn is a copy of the fleet on provider p, sharing f's instances.
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
