// Package drivertest is the conformance suite every NovaCron driver runs
// from its own tests:
//
//	func TestConformance(t *testing.T) {
//		drivertest.Run(t, drivertest.Harness{
//			New:      func(t *testing.T) driver.Driver { … },
//			Template: driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu"}},
//		})
//	}
//
// Each case runs as a subtest against a fresh driver from Harness.New, under
// a context with a timeout, and closes the driver when it ends. The cases
// check what the engine relies on: a created VM is found by Inventory with
// its marker, size, power, template and user tags (and no marker tags leaking
// into them); updates grow a VM hot when the capabilities say so and with a
// restart otherwise; a change that needs a restart is refused without
// ch.Restart and leaves the VM as it was; power, tags and marker updates;
// a marker cleared (ClearMarker, a forget) gone from the inventory's VM
// with its user tags kept, twice over; migration between hosts; deletes that are idempotent; not-found errors
// for unknown IDs; canonical ids (Inventory lists them canonical, and
// Update, Delete and Migrate never take another spelling of one for the
// VM); and concurrent creates.
//
// Open and Spec are what a driver's own tests, beside the suite, open and
// create: a driver as provider "lab", closed when the test ends, and a
// small running VM with a marker and tags.
//
// The suite depends on the driver contract only: it must never import a
// driver, and it holds no driver-specific knowledge beyond what
// Capabilities reports and what the Harness says (HidesUnmarked: an
// inventory that lists only marked VMs).
package drivertest
