package drivertest

import (
	"context"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Harness is what a driver's test gives the suite.
type Harness struct {
	// New opens a fresh driver on an empty provider for one case; the suite closes it.
	New func(t *testing.T) driver.Driver
	// Template is a template valid for this driver.
	Template driver.TemplateRef
	// HidesUnmarked says the driver's inventory, as New opens it, lists
	// only VMs that carry a marker (EC2 or GCE without list_unmanaged):
	// the ClearMarker case then wants a VM whose marker was cleared gone
	// from it.
	HidesUnmarked bool
}

// CaseTimeout bounds each case: a driver that hangs fails the case instead
// of the whole test binary.
const CaseTimeout = 5 * time.Minute

// testCase is one conformance check, run as a subtest.
type testCase struct {
	name string
	run  func(e *env)
}

// cases lists the conformance checks in the order they run.
var cases = []testCase{
	{"CreateThenInventory", testCreateThenInventory},
	{"CreateStopped", testCreateStopped},
	{"TagsNotAliased", testTagsNotAliased},
	{"GrowCPUMemory", testGrowCPUMemory},
	{"GrowDisk", testGrowDisk},
	{"ShrinkDiskRefused", testShrinkDiskRefused},
	{"LowerCPUNeedsRestart", testLowerCPUNeedsRestart},
	{"UpdateTags", testUpdateTags},
	{"UpdateMarker", testUpdateMarker},
	{"ClearMarker", testClearMarker},
	{"PowerStopStart", testPowerStopStart},
	{"Migrate", testMigrate},
	{"Delete", testDelete},
	{"DeleteIdempotent", testDeleteIdempotent},
	{"UnknownID", testUnknownID},
	{"CanonicalIDs", testCanonicalIDs},
	{"ConcurrentCreates", testConcurrentCreates},
}

// Run runs every conformance case against the driver h opens.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("drivertest: Harness.New is nil")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(newEnv(t, h))
		})
	}
}

// env is what a case works with: its driver, context and template.
type env struct {
	t    *testing.T
	ctx  context.Context
	d    driver.Driver
	tmpl driver.TemplateRef
	caps driver.Capabilities
	// hidesUnmarked is Harness.HidesUnmarked.
	hidesUnmarked bool
}

// newEnv opens a fresh driver for one case and arranges for it to be closed
// and for the case's context to be cancelled when the case ends.
func newEnv(t *testing.T, h Harness) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), CaseTimeout)
	t.Cleanup(cancel)
	d := h.New(t)
	if d == nil {
		t.Fatal("drivertest: Harness.New returned a nil driver")
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{t: t, ctx: ctx, d: d, tmpl: h.Template, caps: d.Capabilities(), hidesUnmarked: h.HidesUnmarked}
}
