package ec2

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/ec2test"
)

// TestConformance runs every case of the driver suite against a fresh
// EC2 test server per case.
func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			return openDriver(t, serverConfig(startServer(t, ec2test.Options{})))
		},
		Template:      testTemplate,
		HidesUnmarked: true,
	})
}
