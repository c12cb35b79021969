package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// handMade creates a VM on the simulated provider "lab" of the workspace
// in dir the way a person or another tool would: through the provider, not
// through nova-plan, so it carries no marker unless given one. cfg must be
// the provider block's settings, or opening would change the hosts.
func handMade(t *testing.T, dir string, cfg driver.Config, vm driver.VMSpec) driver.VM {
	t.Helper()
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: filepath.Join(dir, ".nova"), Config: cfg})
	if err != nil {
		t.Fatalf("opening the simulated provider: %v", err)
	}
	defer func() {
		if err := d.Close(); err != nil {
			t.Fatalf("closing the simulated provider: %v", err)
		}
	}()
	if vm.Template.Config == nil {
		vm.Template = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}}
	}
	if vm.DiskGB == 0 {
		vm.DiskGB = 20
	}
	made, err := d.Create(context.Background(), vm)
	if err != nil {
		t.Fatalf("creating VM %s by hand: %v", vm.Name, err)
	}
	return made
}

// defaultSimConfig is the provider block of defaultSpec: three hosts.
var defaultSimConfig = driver.Config{"hosts": int64(3)}
