package libvirt

import "github.com/novacron/novacron/engine/driver"

var _ driver.Pricer = (*Driver)(nil)

// Price is the provider block's cost_per_core_hour per vCPU plus its
// cost_per_gib_hour per GiB of memory.
func (d *Driver) Price(req driver.PriceRequest) (driver.Price, error) { return d.pricer.Price(req) }
