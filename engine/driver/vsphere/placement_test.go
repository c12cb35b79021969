package vsphere

import (
	"context"
	"testing"

	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestFolderAndResourcePool: VMs go in the folder (a path under the VM
// folder, or absolute) and the resource pool the settings name, and the
// pool's cluster's hosts are the provider's.
func TestFolderAndResourcePool(t *testing.T) {
	s := startSim(t, vcsim.Options{Hosts: 2, Standalone: 1})
	_, f := simClient(t, s)
	ctx := context.Background()
	root, err := f.Folder(ctx, "/DC0/vm")
	if err != nil {
		t.Fatal(err)
	}
	team, err := root.CreateFolder(ctx, "team")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := team.CreateFolder(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	clusterPool, err := f.ResourcePool(ctx, vcsim.Cluster+"/Resources")
	if err != nil {
		t.Fatal(err)
	}
	webPool, err := clusterPool.Create(ctx, "web", types.DefaultResourceConfigSpec())
	if err != nil {
		t.Fatal(err)
	}
	for _, folder := range []string{"team/web", "/DC0/vm/team/web"} {
		cfg := simConfig(s)
		delete(cfg, settingCluster)
		cfg[settingResourcePool], cfg[settingFolder] = vcsim.Cluster+"/Resources/web", folder
		d := openDriver(t, cfg)
		inv, err := d.Inventory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.Hosts) != 2 {
			t.Errorf("resource_pool in cluster %s: hosts %+v, want the cluster's 2", vcsim.Cluster, inv.Hosts)
		}
		spec := testSpec("in-pool")
		spec.Name += "-" + map[bool]string{true: "abs", false: "rel"}[folder[0] == '/']
		vm, err := d.Create(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		var m mo.VirtualMachine
		if err := d.c.RetrieveOne(ctx, types.ManagedObjectReference{Type: "VirtualMachine", Value: vm.ID}, []string{"parent", "resourcePool"}, &m); err != nil {
			t.Fatal(err)
		}
		var parent mo.Folder
		if err := d.c.RetrieveOne(ctx, *m.Parent, []string{"name"}, &parent); err != nil {
			t.Fatal(err)
		}
		if parent.Name != "web" || m.ResourcePool == nil || *m.ResourcePool != webPool.Reference() {
			t.Errorf("folder %q: VM in folder %q, pool %v; want folder web, pool %v", folder, parent.Name, m.ResourcePool, webPool.Reference())
		}
	}
}

// TestEveryHostOfTheDatacenter: with neither cluster nor resource_pool,
// every host takes VMs, each in its own compute resource's pool, and a VM
// migrates between a cluster's host and a standalone one, changing pools.
func TestEveryHostOfTheDatacenter(t *testing.T) {
	s := startSim(t, vcsim.Options{Hosts: 2, Standalone: 1})
	cfg := simConfig(s)
	delete(cfg, settingCluster)
	d := openDriver(t, cfg)
	ctx := context.Background()
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Hosts) != 3 {
		t.Fatalf("hosts %+v, want the cluster's 2 and the standalone one", inv.Hosts)
	}
	spec := testSpec("wanderer")
	spec.Host = "DC0_H0"
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Host != "DC0_H0" || poolOwner(t, d, vm.ID) != "DC0_H0" {
		t.Errorf("VM on %s in the pool of %s; want the standalone host DC0_H0 and its pool", vm.Host, poolOwner(t, d, vm.ID))
	}
	for _, host := range []string{vcsim.HostName(1), "DC0_H0"} {
		if err := d.Migrate(ctx, vm.ID, host, true); err != nil {
			t.Fatalf("Migrate to %s: %v", host, err)
		}
		want := vcsim.Cluster
		if host == "DC0_H0" {
			want = host
		}
		if got := inventoryVM(t, d, vm.ID); got.Host != host || poolOwner(t, d, vm.ID) != want || got.Power != driver.PowerRunning {
			t.Errorf("after Migrate to %s: on %s, pool of %s, %s; want pool of %s, running", host, got.Host, poolOwner(t, d, vm.ID), got.Power, want)
		}
	}
}

// poolOwner is the name of the compute resource whose pool holds the VM.
func poolOwner(t *testing.T, d *Driver, id string) string {
	t.Helper()
	ctx := context.Background()
	var m mo.VirtualMachine
	if err := d.c.RetrieveOne(ctx, types.ManagedObjectReference{Type: "VirtualMachine", Value: id}, []string{"resourcePool"}, &m); err != nil {
		t.Fatal(err)
	}
	var p mo.ResourcePool
	if err := d.c.RetrieveOne(ctx, *m.ResourcePool, []string{"owner"}, &p); err != nil {
		t.Fatal(err)
	}
	var cr mo.ComputeResource
	if err := d.c.RetrieveOne(ctx, p.Owner, []string{"name"}, &cr); err != nil {
		t.Fatal(err)
	}
	return cr.Name
}
