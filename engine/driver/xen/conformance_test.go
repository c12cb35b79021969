package xen

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/xentest"
)

// TestConformance runs every case of the driver suite against a fresh
// XenAPI test server per case.
func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			return openDriver(t, serverConfig(t, startServer(t, xentest.Options{})))
		},
		Template: testTemplate,
	})
}
