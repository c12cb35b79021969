package vsphere

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestConformance runs every case of the driver suite against govmomi's
// vCenter simulator, a fresh one per case: once where NovaCron keeps its
// record in a custom attribute (and the annotation), once on a vCenter
// without custom attributes, where the annotation alone holds it.
func TestConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts vcsim.Options
	}{
		{"custom-attribute", vcsim.Options{}},
		{"annotation-only", vcsim.Options{DenyCustomFields: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drivertest.Run(t, drivertest.Harness{
				New: func(t *testing.T) driver.Driver {
					d := openDriver(t, simConfig(startSim(t, tc.opts)))
					if want := tc.opts.DenyCustomFields; (d.field == noField) != want {
						t.Fatalf("custom attribute key %d, want none: %t", d.field, want)
					}
					return d
				},
				Template: simTemplate,
			})
		})
	}
}
