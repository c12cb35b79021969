package plan

import (
	"errors"
	"math"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

// Cost is what a change does to the monthly bill (driver.HoursPerMonth
// hours), in USD: the VM's price before and after, and the difference.
type Cost struct {
	Before       *CostItem `json:"before,omitempty"`
	After        *CostItem `json:"after,omitempty"`
	MonthlyDelta float64   `json:"monthly_delta"`
	// delta is MonthlyDelta before rounding: the plan's total sums it.
	delta float64
}

// CostItem is one VM's price: its machine size, where the provider sells
// sizes, and its monthly price.
type CostItem struct {
	Size    string  `json:"size,omitempty"`
	Monthly float64 `json:"monthly"`
	monthly float64 // Monthly before rounding
}

// PlanCost sums the changes' costs: MonthlyDelta is the sum of their
// unrounded figures, rounded to the cent once. Unpriced counts the changes
// that may change the bill (create, delete, replace, an update of vCPUs,
// memory or disk) on a provider without a price: they are not in the sum.
type PlanCost struct {
	Currency      string  `json:"currency"`
	HoursPerMonth int     `json:"hours_per_month"`
	MonthlyDelta  float64 `json:"monthly_delta"`
	Unpriced      int     `json:"unpriced_changes"`
}

// priceChanges sets the cost of every change on a priced provider, and
// the plan's total. Providers without a price (driver.ErrUnpriced) add
// nothing but the count of unpriced changes; a plan that touches no
// priced provider has no cost.
func (d *differ) priceChanges() {
	if len(d.in.Prices) == 0 {
		return
	}
	total, priced, unpriced := 0.0, false, 0
	for _, c := range d.plan.Changes {
		c.Cost = d.costOf(c)
		switch {
		case c.Cost != nil:
			total += c.Cost.delta
			priced = true
		case billed(c):
			unpriced++
		}
	}
	if !priced {
		return
	}
	if math.IsInf(total, 0) || math.IsNaN(total) {
		d.errorf(nil, "Plan cost out of range", "The plan's monthly cost figures add up to %v USD; check the providers' cost settings.", total)
		return
	}
	d.plan.Cost = &PlanCost{Currency: "USD", HoursPerMonth: driver.HoursPerMonth, MonthlyDelta: cents(total), Unpriced: unpriced}
}

// billed reports whether a change may change the monthly bill.
func billed(c *Change) bool {
	switch c.Action {
	case Create, Delete, Replace:
		return true
	case Update:
		return c.Before != nil && c.After != nil &&
			(c.Before.CPU != c.After.CPU || c.Before.MemoryMiB != c.After.MemoryMiB || c.Before.DiskGB != c.After.DiskGB)
	}
	return false
}

// costOf prices the VM a change removes and the one it leaves.
func (d *differ) costOf(c *Change) *Cost {
	var before, after *CostItem
	switch c.Action {
	case Create:
		after = d.priceItem(c, c.After, true)
	case Delete:
		before = d.priceItem(c, c.Before, false)
	case Replace, Update:
		before, after = d.priceItem(c, c.Before, false), d.priceItem(c, c.After, true)
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
		cost.delta += after.monthly
	}
	if before != nil {
		cost.delta -= before.monthly
	}
	cost.MonthlyDelta = cents(cost.delta)
	return cost
}

// priceItem prices a VM with attributes a, made from its fleet's template
// for the provider's driver type; nil when the provider has no price. A
// VM the change makes (made) whose template names a size too small for it
// is an error at that setting; a price that is not finite is one too.
func (d *differ) priceItem(c *Change, a *Attrs, made bool) *CostItem {
	pr := d.in.Prices[a.Provider]
	if pr == nil {
		return nil
	}
	req := driver.PriceRequest{CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB}
	f := d.fleet(c.Fleet)
	if f != nil {
		req.Template = f.TemplateFor(providerType(a.Provider))
	}
	p, err := pr.Price(req)
	if err == nil {
		err = driver.CheckFinite(p.Hourly)
	}
	var small *driver.SizeSettingError
	switch {
	case errors.As(err, &small) && made:
		d.sizeTooSmall(c, a, small)
		return nil
	case errors.Is(err, driver.ErrPriceRange):
		d.errorf(nil, "Price out of range", "%s on provider %s: %v.", c.Address, a.Provider, err)
		return nil
	case err != nil:
		return nil
	}
	m := p.Hourly * driver.HoursPerMonth
	return &CostItem{Size: p.Size, Monthly: cents(m), monthly: m}
}

// sizeTooSmall reports, once per fleet, a template whose size setting
// cannot hold the fleet's VM: apply would fail.
func (d *differ) sizeTooSmall(c *Change, a *Attrs, e *driver.SizeSettingError) {
	if d.tooSmall == nil {
		d.tooSmall = map[string]bool{}
	}
	if d.tooSmall[c.Fleet] {
		return
	}
	d.tooSmall[c.Fleet] = true
	var r *hcl.Range
	if f := d.fleet(c.Fleet); f != nil && f.Template != nil {
		r = f.Template.SettingRange(providerType(a.Provider), e.Setting).Ptr()
	}
	d.errorf(r, "Machine size too small",
		"%s: %v on provider %s. Name a size that holds the VM, or leave %s out to have the cheapest one that does chosen.", c.Address, e, a.Provider, e.Setting)
}

// providerType is the driver type of a provider key ("ec2" of "ec2.main").
func providerType(key string) string {
	typ, _, _ := strings.Cut(key, ".")
	return typ
}

// cents rounds to the cent.
func cents(v float64) float64 { return math.Round(v*100) / 100 }
