package vsphere

import (
	"context"
	"testing"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/vcsim"
)

// startSim starts a simulator for one test and stops it when the test ends.
func startSim(t testing.TB, o vcsim.Options) *vcsim.Sim {
	t.Helper()
	o.Dir = t.TempDir()
	s, err := vcsim.Start(context.Background(), o)
	if err != nil {
		t.Fatalf("starting the vCenter simulator: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// simConfig is a provider block on the simulator's cluster.
func simConfig(s *vcsim.Sim) driver.Config {
	return driver.Config{
		settingURL: s.URL, settingUser: s.User, settingPassword: s.Password, settingCAFile: s.CAFile,
		settingDatacenter: vcsim.Datacenter, settingCluster: vcsim.Cluster,
		settingDatastore: vcsim.Datastore, settingNetwork: vcsim.Network,
	}
}

// driverRequest opens a provider "lab" on the simulator's cluster.
func driverRequest(s *vcsim.Sim) driver.OpenRequest {
	return driver.OpenRequest{Name: "lab", Config: simConfig(s)}
}

// openDriver opens a driver and closes it when the test ends.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	return drivertest.Open(t, Open, cfg)
}

// simTemplate clones the simulator's template in full.
var simTemplate = driver.TemplateRef{Name: "small", Config: driver.Config{tmplVM: vcsim.Template}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec { return drivertest.Spec(name, 1, 1024, simTemplate) }

// simClient logs in to the simulator as an administrator would, to look
// at VMs or change them behind the driver's back.
func simClient(t *testing.T, s *vcsim.Sim) (*govmomi.Client, *find.Finder) {
	t.Helper()
	c, err := s.Client(context.Background())
	if err != nil {
		t.Fatalf("logging in to the simulator: %v", err)
	}
	t.Cleanup(func() { c.Logout(context.Background()) })
	f := find.NewFinder(c.Client)
	dc, err := f.Datacenter(context.Background(), vcsim.Datacenter)
	if err != nil {
		t.Fatal(err)
	}
	f.SetDatacenter(dc)
	return c, f
}

// simVM finds a VM by name.
func simVM(t *testing.T, f *find.Finder, name string) *object.VirtualMachine {
	t.Helper()
	vm, err := f.VirtualMachine(context.Background(), name)
	if err != nil {
		t.Fatalf("finding VM %s: %v", name, err)
	}
	return vm
}
