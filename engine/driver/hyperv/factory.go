package hyperv

import (
	"context"
	"errors"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "hyperv" "NAME"`.
const Type = "hyperv"

// Factory returns the factory of the hyperv driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:        Type,
		Description: "Hyper-V virtual machines over WinRM and PowerShell",
		Open: func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
			return nil, errors.New("the hyperv driver is not built yet")
		},
	}
}
