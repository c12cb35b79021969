package gce

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/gcetest"
)

// TestLostInsertAnswer: the insert is made but its answer is lost (503);
// the executor's retry of Create sends the same requestId, and the server
// answers the first insert's operation: one instance, not two.
func TestLostInsertAnswer(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	d := openDriver(t, serverConfig(s))
	ctx := context.Background()
	s.LoseInsertAnswers(1)
	_, err := d.Create(ctx, testSpec("web-0"))
	if driver.KindOf(err) != driver.KindTransient {
		t.Fatalf("Create with its answer lost: %v (%s), want a transient error", err, driver.KindOf(err))
	}
	vm, err := d.Create(ctx, testSpec("web-0"))
	if err != nil {
		t.Fatalf("Create retried: %v", err)
	}
	if n := len(s.Instances()); n != 1 || s.Calls("compute.instances.insert") != 2 || s.RequestIDs() != 1 {
		t.Errorf("after a retried Create the server holds %d instances from %d inserts with %d requestIds, want 1 from 2 with 1", n, s.Calls("compute.instances.insert"), s.RequestIDs())
	}
	if vm.ID != "us-central1-a/web-0" || vm.Power != driver.PowerRunning {
		t.Errorf("Create returned %+v", vm)
	}
}

// TestReplaceNotDeduplicated: a replace deletes a VM and creates it again
// at the same address with the same spec hash in one process; the second
// insert must be a new request (Delete bumps the name's generation), not
// answered with the deleted instance's operation.
func TestReplaceNotDeduplicated(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	d := openDriver(t, serverConfig(s))
	ctx := context.Background()
	spec := testSpec("web-0")
	first, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	before := s.Instances()[0].ID
	if err := d.Delete(ctx, first.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	second, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatalf("Create after Delete (a replace): %v", err)
	}
	live := s.Instances()
	if len(live) != 1 || live[0].ID == before || live[0].Status != "RUNNING" || second.ID != first.ID {
		t.Errorf("after the replace the server holds %+v; want one new running instance (the old was %d)", live, before)
	}
	if n := s.RequestIDs(); n != 2 {
		t.Errorf("the replace's two inserts carried %d distinct requestIds, want 2", n)
	}
	if got := s.Deleted(); len(got) != 1 {
		t.Errorf("deleted %v, want the first instance once", got)
	}
}

// TestFailedInsertNewRequest: an insert whose operation failed made
// nothing; the next attempt is a new request, which succeeds once there
// is room.
func TestQuotaAndPool(t *testing.T) {
	ctx := context.Background()
	s := startServer(t, gcetest.Options{QuotaCPUs: 2})
	d := openDriver(t, serverConfig(s))
	if _, err := d.Create(ctx, testSpec("web-0")); err != nil {
		t.Fatalf("Create within the quota: %v", err)
	}
	_, err := d.Create(ctx, testSpec("web-1"))
	if driver.KindOf(err) != driver.KindCapacity || !strings.Contains(err.Error(), "QUOTA_EXCEEDED") {
		t.Errorf("Create over the CPUS quota: %v (%s), want a capacity error naming QUOTA_EXCEEDED", err, driver.KindOf(err))
	}
	if n := len(s.Instances()); n != 1 {
		t.Errorf("the server holds %d instances, want 1", n)
	}
	if err := d.Delete(ctx, "us-central1-a/web-0"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := d.Create(ctx, testSpec("web-1")); err != nil {
		t.Errorf("Create again once the quota has room: %v (a failed operation's requestId must not be reused)", err)
	}

	p := startServer(t, gcetest.Options{PoolExhausted: true})
	dp := openDriver(t, serverConfig(p))
	_, err = dp.Create(ctx, testSpec("web-0"))
	if driver.KindOf(err) != driver.KindCapacity || !strings.Contains(err.Error(), "ZONE_RESOURCE_POOL_EXHAUSTED") {
		t.Errorf("Create in an exhausted zone: %v (%s), want a capacity error naming ZONE_RESOURCE_POOL_EXHAUSTED", err, driver.KindOf(err))
	}
}

// TestMachineTypeChange: a new size is stop → setMachineType → start, and
// only with Restart; the size label keeps what was asked for.
func TestMachineTypeChange(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	d := openDriver(t, serverConfig(s))
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("web-0"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Update(ctx, vm.ID, driver.Changes{CPU: new(4)})
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "restart") {
		t.Errorf("Update of cpu without Restart: %v, want a permanent error saying it needs a restart", err)
	}
	if s.Calls("compute.instances.stop") != 0 {
		t.Errorf("a refused Update stopped the instance")
	}
	got, err := d.Update(ctx, vm.ID, driver.Changes{CPU: new(4), MemoryMiB: new(int64(6144)), Restart: true})
	if err != nil {
		t.Fatalf("Update with Restart: %v", err)
	}
	i := s.Instances()[0]
	if got.CPU != 4 || got.MemoryMiB != 6144 || got.Power != driver.PowerRunning || i.MachineType != "e2-standard-4" || i.Status != "RUNNING" {
		t.Errorf("after the resize: VM %d vCPU %d MiB %s, instance %s %s; want 4, 6144, running on e2-standard-4", got.CPU, got.MemoryMiB, got.Power, i.MachineType, i.Status)
	}
	for _, m := range []string{"stop", "setMachineType", "start"} {
		if n := s.Calls("compute.instances." + m); n != 1 {
			t.Errorf("instances.%s called %d times, want once", m, n)
		}
	}
}

// TestMigrateRefused: Compute Engine offers no migration.
func TestMigrateRefused(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	d := openDriver(t, serverConfig(s))
	if d.Capabilities().Migrate {
		t.Error("Capabilities say Migrate")
	}
	err := d.Migrate(context.Background(), "us-central1-a/web-0", "us-central1-b", true)
	if driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "offers no migration") {
		t.Errorf("Migrate: %v, want a permanent error saying Compute Engine offers no migration", err)
	}
}

// TestZonesSpread: with zones, VMs spread over them by address, and the
// inventory is one aggregatedList (paged), never a call per VM.
func TestZonesSpread(t *testing.T) {
	s := startServer(t, gcetest.Options{Instances: 1200})
	cfg := serverConfig(s)
	delete(cfg, settingZone)
	cfg[settingZones] = s.Zones
	d := openDriver(t, cfg)
	ctx := context.Background()
	zones := map[string]int{}
	for _, n := range []string{"web-0", "web-1", "web-2", "web-3", "web-4", "web-5"} {
		vm, err := d.Create(ctx, testSpec(n))
		if err != nil {
			t.Fatal(err)
		}
		zones[vm.Host]++
	}
	if len(zones) != 2 {
		t.Errorf("6 VMs landed in zones %v, want both zones", zones)
	}
	inv, err := d.Inventory(ctx)
	if err != nil || len(inv.VMs) != 6 {
		t.Fatalf("Inventory: %d VMs, %v; want the 6 marked ones", len(inv.VMs), err)
	}
	if n := s.Calls("compute.instances.aggregatedList"); n != 1 {
		t.Errorf("Inventory of the marked VMs made %d aggregatedList calls, want 1", n)
	}
	d.cfg.listUnmanaged = true
	if inv, err = d.Inventory(ctx); err != nil || len(inv.VMs) != 1206 {
		t.Fatalf("Inventory with list_unmanaged: %d VMs, %v; want 1206", len(inv.VMs), err)
	}
	if n := s.Calls("compute.instances.aggregatedList"); n != 1+3 {
		t.Errorf("Inventory of 1206 instances made %d aggregatedList pages, want 3", n-1)
	}
	if n := s.Calls("compute.instances.get"); n != 6 {
		t.Errorf("instances.get called %d times (once per Create is expected), want 6: Inventory must not read VMs one by one", n)
	}
}

// TestWrongCredentials: a key the token endpoint refuses fails Open with
// an error naming ADC and GOOGLE_APPLICATION_CREDENTIALS.
func TestWrongCredentials(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	path := useServer(t, s, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, driver.OpenRequest{Name: "lab", Config: serverConfig(s)})
	if err == nil {
		t.Fatal("Open with a key the server does not know succeeded")
	}
	for _, want := range []string{"Application Default Credentials", "GOOGLE_APPLICATION_CREDENTIALS=" + path, "invalid_grant"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open: %v\nlacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "PRIVATE KEY") {
		t.Errorf("Open's error shows the key: %v", err)
	}
}
