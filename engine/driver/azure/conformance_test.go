package azure

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
)

// TestConformance runs every case of the driver suite against the SDK's
// server fakes, a fresh resource group per case.
func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			return openDriver(t, newStore(), testConfig())
		},
		Template: testTemplate,
	})
}
