package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// outOfBand opens the simulated provider name of the workspace in dir as
// another tool would, behind NovaCron's back, and gives change its VMs by
// name. cfg must be the provider block's settings.
func outOfBand(t testing.TB, dir, name string, cfg driver.Config, change func(d *sim.Driver, byName map[string]driver.VM)) {
	t.Helper()
	ctx := context.Background()
	d, err := sim.Open(ctx, driver.OpenRequest{Name: name, DataDir: filepath.Join(dir, ".nova"), Config: cfg})
	if err != nil {
		t.Fatalf("opening the simulated provider: %v", err)
	}
	defer func() {
		if err := d.Close(); err != nil {
			t.Fatalf("closing the simulated provider: %v", err)
		}
	}()
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]driver.VM{}
	for _, vm := range inv.VMs {
		byName[vm.Name] = vm
	}
	change(d, byName)
}

// resize sets a VM's vCPUs behind NovaCron's back.
func resize(t testing.TB, d *sim.Driver, id string, cpu int) {
	t.Helper()
	if _, err := d.Update(context.Background(), id, driver.Changes{CPU: &cpu, Restart: true}); err != nil {
		t.Fatalf("resizing %s out of band: %v", id, err)
	}
}
