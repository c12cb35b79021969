package gce

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/gcetest"
)

// TestConformance runs every case of the driver suite against a fresh
// Compute Engine test server per case.
func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			return openDriver(t, serverConfig(startServer(t, gcetest.Options{})))
		},
		Template:      testTemplate,
		HidesUnmarked: true,
	})
}

// TestConformanceZones runs the suite on a provider spread over two
// zones, whose inventory is aggregatedList.
func TestConformanceZones(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			s := startServer(t, gcetest.Options{})
			cfg := serverConfig(s)
			delete(cfg, settingZone)
			cfg[settingZones] = s.Zones
			return openDriver(t, cfg)
		},
		Template:      testTemplate,
		HidesUnmarked: true,
	})
}
