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
// or the size the template's setting names (named: the table's spelling
// of it). A named size the table has but that cannot hold the VM fails
// with a *SizeSettingError.
func (t SizeTable) PriceOf(req PriceRequest, setting, named, source string) (Price, error) {
	if named != "" {
		s, ok := t.Lookup(named)
		if !ok {
			return Price{}, fmt.Errorf("%w: size %q is not in the driver's price table (%s)", ErrNoSize, named, source)
		}
		if !s.Fits(req.CPU, req.MemoryMiB) {
			return Price{}, &SizeSettingError{Setting: setting, Size: s, CPU: req.CPU, MemoryMiB: req.MemoryMiB}
		}
		return Price{Size: s.Name, Hourly: s.Price, Source: source}, nil
	}
	s, ok := t.CheapestFit(req.CPU, req.MemoryMiB)
	if !ok {
		return Price{}, fmt.Errorf("%w: no size of the driver's price table (%s) has %s and %d MiB", ErrNoSize, source, VCPUs(req.CPU), req.MemoryMiB)
	}
	return Price{Size: s.Name, Hourly: s.Price, Source: source}, nil
}

// SizeSettingError: the size a template setting (instance_type, vm_size,
// machine_type) names cannot hold the VM. It is an ErrNoSize.
type SizeSettingError struct {
	Setting   string
	Size      Size
	CPU       int
	MemoryMiB int64
}

func (e *SizeSettingError) Error() string {
	return fmt.Sprintf("%s %s has %s and %d MiB, less than the VM's %s and %d MiB",
		e.Setting, e.Size.Name, VCPUs(e.Size.CPU), e.Size.MemoryMiB, VCPUs(e.CPU), e.MemoryMiB)
}

// VCPUs writes a count of vCPUs: "1 vCPU", "4 vCPUs".
func VCPUs(n int) string {
	if n == 1 {
		return "1 vCPU"
	}
	return fmt.Sprintf("%d vCPUs", n)
}

func (e *SizeSettingError) Unwrap() error { return ErrNoSize }

// The settings of an on-premises provider's cost.
const (
	SettingCostPerCoreHour = "cost_per_core_hour"
	SettingCostPerGiBHour  = "cost_per_gib_hour"
)

// MaxCostPerHour bounds cost_per_core_hour and cost_per_gib_hour: USD
// 1,000 an hour is far above any vCPU or GiB a cloud sells, and keeps every
// figure a plan computes from them finite.
const MaxCostPerHour = 1000

// CostSettings are the provider settings that price a hypervisor's VMs:
// hypervisor drivers add them to their Settings and open a CorePricer.
// Unset or 0, both of them, the provider has no price (ErrUnpriced): sizing
// skips it and plans show no cost for its VMs.
func CostSettings() []Setting {
	return []Setting{
		{
			Name: SettingCostPerCoreHour, Type: Number,
			Description: "What one vCPU costs per hour, in USD (0 to 1000), for sizing = \"cheapest\" and the plan's cost figures; unset or 0 with cost_per_gib_hour unset or 0: no price",
			Check:       costBound(SettingCostPerCoreHour),
		},
		{
			Name: SettingCostPerGiBHour, Type: Number,
			Description: "What one GiB of memory costs per hour, in USD (0 to 1000), added to cost_per_core_hour",
			Check:       costBound(SettingCostPerGiBHour),
		},
	}
}

func costBound(name string) func(any) error {
	return func(v any) error {
		if n, _ := v.(float64); !(n >= 0 && n <= MaxCostPerHour) {
			return fmt.Errorf("%s must be a number of USD from 0 to %d; got %v", name, MaxCostPerHour, v)
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
	if err := CheckFinite(h); err != nil {
		return Price{}, err
	}
	return Price{Hourly: h, Source: SettingCostPerCoreHour}, nil
}

// ErrPriceRange: a price is not a finite number of USD of at least 0.
var ErrPriceRange = errors.New("price out of range")

// CheckFinite fails (ErrPriceRange) unless hourly is a finite price of at
// least 0 whose month (HoursPerMonth hours) is finite too.
func CheckFinite(hourly float64) error {
	if !(hourly >= 0) || math.IsInf(hourly*HoursPerMonth, 0) {
		return fmt.Errorf("%w: %v USD an hour", ErrPriceRange, hourly)
	}
	return nil
}
