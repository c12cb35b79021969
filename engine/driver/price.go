package driver

import (
	"errors"
	"fmt"
	"math"
)

// HoursPerMonth is the month prices are quoted for: 730 hours, the average
// month (8,760 hours a year ÷ 12) that cloud price lists use.
const HoursPerMonth = 730

// PriceRequest is the VM a Pricer is asked to price.
type PriceRequest struct {
	CPU       int
	MemoryMiB int64
	DiskGB    int
	// Template is the fleet's template for the driver: a template that
	// names a machine size (instance_type, vm_size, machine_type) is priced
	// at that size.
	Template TemplateRef
}

// Price is what one VM costs on a provider: the machine size it gets (empty
// on a hypervisor) and its price per hour, in USD.
type Price struct {
	Size   string
	Hourly float64
	// Source names the price table or setting the figure comes from.
	Source string
}

// Monthly is the price of HoursPerMonth hours, rounded to the cent.
func (p Price) Monthly() float64 { return math.Round(p.Hourly*HoursPerMonth*100) / 100 }

// Pricer is implemented by drivers that know what a VM costs: cloud
// drivers from a dated price table, hypervisor drivers from the provider
// block's cost_per_core_hour. Price fails (ErrNoSize) when no machine size
// of the table fits the request.
type Pricer interface {
	Price(req PriceRequest) (Price, error)
}

// ErrNoSize: no machine size of the driver's table fits the request.
var ErrNoSize = errors.New("no machine size fits")

// ErrUnpriced: the provider has no price (a hypervisor without
// cost_per_core_hour): plans show no cost for its VMs.
var ErrUnpriced = errors.New("the provider sets no cost_per_core_hour or cost_per_gib_hour")

// PriceOf prices a request from a size table: the cheapest size that fits,
// or the named one when the template names a size the table has.
func (t SizeTable) PriceOf(req PriceRequest, named, source string) (Price, error) {
	if named != "" {
		if s, ok := t.Lookup(named); ok {
			return Price{Size: s.Name, Hourly: s.Price, Source: source}, nil
		}
		return Price{}, fmt.Errorf("%w: size %q is not in the driver's price table (%s)", ErrNoSize, named, source)
	}
	s, ok := t.CheapestFit(req.CPU, req.MemoryMiB)
	if !ok {
		return Price{}, fmt.Errorf("%w: no size of the driver's price table (%s) has %d vCPUs and %d MiB", ErrNoSize, source, req.CPU, req.MemoryMiB)
	}
	return Price{Size: s.Name, Hourly: s.Price, Source: source}, nil
}

// The settings of an on-premises provider's cost.
const (
	SettingCostPerCoreHour = "cost_per_core_hour"
	SettingCostPerGiBHour  = "cost_per_gib_hour"
)

// CostSettings are the provider settings that price a hypervisor's VMs:
// hypervisor drivers add them to their Settings and open a CorePricer.
func CostSettings() []Setting {
	return []Setting{
		{
			Name: SettingCostPerCoreHour, Type: Number,
			Description: "What one vCPU costs per hour, in USD, for sizing = \"cheapest\" and the plan's cost figures; 0: free",
			Check:       nonNegative(SettingCostPerCoreHour),
		},
		{
			Name: SettingCostPerGiBHour, Type: Number,
			Description: "What one GiB of memory costs per hour, in USD, added to cost_per_core_hour",
			Check:       nonNegative(SettingCostPerGiBHour),
		},
	}
}

func nonNegative(name string) func(any) error {
	return func(v any) error {
		if n, _ := v.(float64); !(n >= 0) || math.IsInf(n, 1) {
			return fmt.Errorf("%s must be a number of USD of at least 0; got %v", name, v)
		}
		return nil
	}
}

// CorePricer prices a hypervisor's VM by its vCPUs and memory.
type CorePricer struct {
	PerCoreHour float64
	PerGiBHour  float64
}

// CorePricerOf reads CostSettings from a provider's config.
func CorePricerOf(c Config) CorePricer {
	return CorePricer{PerCoreHour: c.Number(SettingCostPerCoreHour), PerGiBHour: c.Number(SettingCostPerGiBHour)}
}

// Price is PerCoreHour per vCPU plus PerGiBHour per GiB of memory.
// Both unset: ErrUnpriced.
func (p CorePricer) Price(req PriceRequest) (Price, error) {
	if p.PerCoreHour == 0 && p.PerGiBHour == 0 {
		return Price{}, ErrUnpriced
	}
	h := p.PerCoreHour*float64(req.CPU) + p.PerGiBHour*float64(req.MemoryMiB)/1024
	return Price{Hourly: h, Source: SettingCostPerCoreHour}, nil
}
