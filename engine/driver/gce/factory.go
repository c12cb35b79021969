package gce

import (
	"context"
	"errors"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "gce" "NAME"`.
const Type = "gce"

// Factory returns the factory of the gce driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:        Type,
		Description: "Google Compute Engine instances (REST API)",
		Open: func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
			return nil, errors.New("the gce driver is not built yet")
		},
	}
}
