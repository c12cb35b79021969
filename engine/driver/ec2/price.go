package ec2

import "github.com/novacron/novacron/engine/driver"

var _ driver.Pricer = (*Driver)(nil)

// Price is the On-Demand price of the template's instance_type, or of the
// cheapest x86_64 type of the table that holds the VM: the plan does not
// look the AMI up, so an arm64 AMI's VM costs at most this.
func (d *Driver) Price(req driver.PriceRequest) (driver.Price, error) {
	return sizeTables[archX86].PriceOf(req, tmplInstanceType, req.Template.Config.String(tmplInstanceType), sizesSource)
}
