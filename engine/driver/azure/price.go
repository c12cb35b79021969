package azure

import "github.com/novacron/novacron/engine/driver"

var _ driver.Pricer = (*Driver)(nil)

// sizesSource dates the table of sizes.go.
const sizesSource = "Azure retail prices, Linux pay-as-you-go, East US, 2024-06"

// Price is the pay-as-you-go price of the template's vm_size, or of the
// cheapest size of the table that holds the VM.
func (d *Driver) Price(req driver.PriceRequest) (driver.Price, error) {
	named := req.Template.Config.String(tmplSize)
	if s, ok := lookupSize(named); ok {
		named = s.Name // Azure's size names are not case sensitive
	}
	return sizes.PriceOf(req, tmplSize, named, sizesSource)
}
