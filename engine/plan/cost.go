package plan

import (
	"math"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Cost is what a change does to the monthly bill (driver.HoursPerMonth
// hours), in USD: the VM's price before and after, and the difference.
type Cost struct {
	Before       *CostItem `json:"before,omitempty"`
	After        *CostItem `json:"after,omitempty"`
	MonthlyDelta float64   `json:"monthly_delta"`
}

// CostItem is one VM's price: its machine size, where the provider sells
// sizes, and its monthly price.
type CostItem struct {
	Size    string  `json:"size,omitempty"`
	Monthly float64 `json:"monthly"`
}

// PlanCost sums the changes' costs.
type PlanCost struct {
	Currency      string  `json:"currency"`
	HoursPerMonth int     `json:"hours_per_month"`
	MonthlyDelta  float64 `json:"monthly_delta"`
}

// priceChanges sets the cost of every change on a priced provider, and
// the plan's total. Providers without a price (driver.ErrUnpriced) add
// nothing; a plan that touches none has no cost.
func (d *differ) priceChanges() {
	if len(d.in.Prices) == 0 {
		return
	}
	total, priced := 0.0, false
	for _, c := range d.plan.Changes {
		if c.Cost = d.costOf(c); c.Cost != nil {
			total += c.Cost.MonthlyDelta
			priced = true
		}
	}
	if priced {
		d.plan.Cost = &PlanCost{Currency: "USD", HoursPerMonth: driver.HoursPerMonth, MonthlyDelta: cents(total)}
	}
}

// costOf prices the VM a change removes and the one it leaves.
func (d *differ) costOf(c *Change) *Cost {
	var before, after *CostItem
	switch c.Action {
	case Create:
		after = d.priceItem(c, c.After)
	case Delete:
		before = d.priceItem(c, c.Before)
	case Replace, Update:
		before, after = d.priceItem(c, c.Before), d.priceItem(c, c.After)
		if before == nil || after == nil {
			return nil // half a price would show a false delta
		}
	default:
		return nil
	}
	if before == nil && after == nil {
		return nil
	}
	cost := &Cost{Before: before, After: after}
	if after != nil {
		cost.MonthlyDelta += after.Monthly
	}
	if before != nil {
		cost.MonthlyDelta -= before.Monthly
	}
	cost.MonthlyDelta = cents(cost.MonthlyDelta)
	return cost
}

// priceItem prices a VM with attributes a, made from its fleet's template
// for the provider's driver type; nil when the provider has no price.
func (d *differ) priceItem(c *Change, a *Attrs) *CostItem {
	pr := d.in.Prices[a.Provider]
	if pr == nil {
		return nil
	}
	req := driver.PriceRequest{CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB}
	if f := d.fleet(c.Fleet); f != nil {
		req.Template = f.TemplateFor(providerType(a.Provider))
	}
	p, err := pr.Price(req)
	if err != nil {
		return nil
	}
	return &CostItem{Size: p.Size, Monthly: p.Monthly()}
}

// providerType is the driver type of a provider key ("ec2" of "ec2.main").
func providerType(key string) string {
	typ, _, _ := strings.Cut(key, ".")
	return typ
}

// cents rounds to the cent.
func cents(v float64) float64 { return math.Round(v*100) / 100 }
