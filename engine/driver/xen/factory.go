package xen

import (
	"context"
	"errors"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "xen" "NAME"`.
const Type = "xen"

// Factory returns the factory of the xen driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:        Type,
		Description: "XenServer / XCP-ng virtual machines in one pool (XenAPI JSON-RPC)",
		Open: func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
			return nil, errors.New("the xen driver is not built yet")
		},
	}
}
