package libvirt

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
)

// TestConformance runs every case of the driver suite against libvirtd's
// test hypervisor, once with a template on a base volume (disks are
// overlays) and once with a directly booted kernel (disks are blank).
func TestConformance(t *testing.T) {
	for _, tmpl := range []driver.TemplateRef{volumeTemplate, kernelTemplate} {
		t.Run(tmpl.Name, func(t *testing.T) {
			drivertest.Run(t, drivertest.Harness{
				New: func(t *testing.T) driver.Driver {
					testHost(t)
					return openDriver(t, testConfig())
				},
				Template: tmpl,
			})
		})
	}
}
