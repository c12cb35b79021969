package gce

import "github.com/novacron/novacron/engine/driver"

var _ driver.Pricer = (*Driver)(nil)

// Price is the on-demand price of the template's machine_type, or of the
// cheapest machine type of the table that holds the VM.
func (d *Driver) Price(req driver.PriceRequest) (driver.Price, error) {
	return table.PriceOf(req, tmplMachineType, req.Template.Config.String(tmplMachineType), sizesSource)
}
