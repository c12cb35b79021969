package xen

import (
	"context"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/xentest"
)

// TestMigrationThatDoesNothing: a pool_migrate whose task succeeds but
// leaves the VM where it was (cloudtemple #355) is an error; the retry
// moves it.
func TestMigrationThatDoesNothing(t *testing.T) {
	s := startServer(t, xentest.Options{})
	d := openDriver(t, serverConfig(t, s))
	ctx := context.Background()
	spec := testSpec("mover")
	spec.Host = xentest.HostName(1)
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	s.NoopMigrations(1)
	err = d.Migrate(ctx, vm.ID, xentest.HostName(2), true)
	if err == nil || !strings.Contains(err.Error(), "the migration did nothing") || driver.KindOf(err) != driver.KindTransient {
		t.Fatalf("Migrate with a pool_migrate that does nothing: %v (%s); want a transient error saying so", err, driver.KindOf(err))
	}
	if err := d.Migrate(ctx, vm.ID, xentest.HostName(2), true); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if h := s.VMs()[0].HostName; h != xentest.HostName(2) {
		t.Errorf("the VM is on %s after the retry, want %s", h, xentest.HostName(2))
	}
}

// TestSessionExpired: after XAPI forgets the session, the next call logs
// in again once and succeeds.
func TestSessionExpired(t *testing.T) {
	s := startServer(t, xentest.Options{})
	d := openDriver(t, serverConfig(t, s))
	s.ExpireSessions()
	if _, err := d.Inventory(context.Background()); err != nil {
		t.Fatalf("Inventory after the session expired: %v", err)
	}
	if n := s.Calls("session.login_with_password"); n != 2 {
		t.Errorf("%d logins, want 2 (Open, then once after SESSION_INVALID)", n)
	}
}

// TestFaultsClassified: XenAPI error codes become the kinds the executor
// acts on, the message names the code, and a create that fails after the
// clone leaves nothing behind.
func TestFaultsClassified(t *testing.T) {
	cases := []struct {
		name  string
		fault string
		spec  func(*driver.VMSpec)
		kind  driver.Kind
	}{
		{name: "busy", fault: "OTHER_OPERATION_IN_PROGRESS", kind: driver.KindTransient},
		{name: "no memory", fault: "HOST_NOT_ENOUGH_FREE_MEMORY", kind: driver.KindCapacity},
		{name: "real capacity", spec: func(s *driver.VMSpec) { s.MemoryMiB = 100 << 10 }, kind: driver.KindCapacity},
		{name: "refused", fault: "VM_HVM_REQUIRED", kind: driver.KindPermanent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, xentest.Options{})
			d := openDriver(t, serverConfig(t, s))
			before := s.Count()
			if tc.fault != "" {
				s.FailNext("VM.start_on", xentest.Fault{Code: tc.fault, Params: []string{"x"}})
			}
			spec := testSpec("faulty")
			if tc.spec != nil {
				tc.spec(&spec)
			}
			_, err := d.Create(context.Background(), spec)
			want := tc.fault
			if want == "" {
				want = "HOST_NOT_ENOUGH_FREE_MEMORY"
			}
			if err == nil || driver.KindOf(err) != tc.kind || !strings.Contains(err.Error(), want) {
				t.Fatalf("Create: %v (%s); want a %s error naming %s", err, driver.KindOf(err), tc.kind, want)
			}
			if n := len(s.VMs()); n != 0 || s.Count() != before {
				t.Errorf("after the failed create the server has %d VMs and %+v (before %+v)", n, s.Count(), before)
			}
		})
	}
}

// TestShutdownIgnored: a guest that ignores the clean shutdown is shut
// down hard after shutdown_timeout, and the clean task is cancelled and
// forgotten.
func TestShutdownIgnored(t *testing.T) {
	s := startServer(t, xentest.Options{})
	d := openDriver(t, serverConfig(t, s))
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("stubborn"))
	if err != nil {
		t.Fatal(err)
	}
	s.IgnoreShutdowns(1)
	got, err := d.Update(ctx, vm.ID, driver.Changes{Power: new(driver.PowerStopped)})
	if err != nil || got.Power != driver.PowerStopped {
		t.Fatalf("Update to stopped: %v, %s", err, got.Power)
	}
	if n := s.Calls("Async.VM.hard_shutdown"); n != 1 {
		t.Errorf("%d hard shutdowns, want 1", n)
	}
	if n := s.Count().Tasks; n != 0 {
		t.Errorf("%d task records left on the server", n)
	}
}

// TestMarkerRoundTrip: hostile addresses and long lineages come back from
// other_config exactly, and user tags beside them.
func TestMarkerRoundTrip(t *testing.T) {
	s := startServer(t, xentest.Options{})
	d := openDriver(t, serverConfig(t, s))
	ctx := context.Background()
	for _, m := range []driver.Marker{
		{Address: `fleet.web["a b/c:é"]`, Lineage: strings.Repeat("l", 60), SpecHash: "h1"},
		{Address: `fleet.x["novacron:tag:evil"]`, Lineage: "0123456789abcdef", SpecHash: "h2"},
		{Address: "vm.\"quoted\"\n<value>&amp;</value>", Lineage: "ü", SpecHash: strings.Repeat("f", 64)},
	} {
		spec := testSpec("marker")
		spec.Marker = m
		spec.Tags = map[string]string{"a b": "c:d", "novacron": "x", "é": "<value>"}
		vm, err := d.Create(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := d.Inventory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range inv.VMs {
			if got.ID != vm.ID {
				continue
			}
			if got.Marker == nil || *got.Marker != m {
				t.Errorf("marker %+v came back as %+v", m, got.Marker)
			}
			if len(got.Tags) != 3 || got.Tags["a b"] != "c:d" || got.Tags["novacron"] != "x" || got.Tags["é"] != "<value>" {
				t.Errorf("tags came back as %q", got.Tags)
			}
		}
		if err := d.Delete(ctx, vm.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// TestShutdownRefused: a guest without PV drivers is shut down hard at
// once; a busy VM is a transient error, not a hard shutdown.
func TestShutdownRefused(t *testing.T) {
	for _, tc := range []struct {
		code string
		hard int
		kind driver.Kind
	}{
		{"VM_MISSING_PV_DRIVERS", 1, -1},
		{"OTHER_OPERATION_IN_PROGRESS", 0, driver.KindTransient},
	} {
		t.Run(tc.code, func(t *testing.T) {
			s := startServer(t, xentest.Options{})
			d := openDriver(t, serverConfig(t, s))
			ctx := context.Background()
			vm, err := d.Create(ctx, testSpec("no-pv"))
			if err != nil {
				t.Fatal(err)
			}
			s.FailNext("VM.clean_shutdown", xentest.Fault{Code: tc.code, Params: []string{"x"}})
			_, err = d.Update(ctx, vm.ID, driver.Changes{Power: new(driver.PowerStopped)})
			if tc.kind < 0 && err != nil || tc.kind >= 0 && (err == nil || driver.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.code)) {
				t.Errorf("Update to stopped with %s: %v", tc.code, err)
			}
			if n := s.Calls("Async.VM.hard_shutdown"); n != tc.hard {
				t.Errorf("%d hard shutdowns, want %d", n, tc.hard)
			}
		})
	}
}

// TestDeleteKeepsSharedDisks: deleting a VM whose disk another VM also
// uses keeps that disk (and the template's ISO); its other disks go.
func TestDeleteKeepsSharedDisks(t *testing.T) {
	s := startServer(t, xentest.Options{})
	d := openDriver(t, serverConfig(t, s))
	ctx := context.Background()
	a, err := d.Create(ctx, testSpec("owner"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Create(ctx, testSpec("sharer")); err != nil {
		t.Fatal(err)
	}
	if !s.ShareDisk("owner", "sharer") {
		t.Fatal("ShareDisk failed")
	}
	before := s.Count()
	if err := d.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	vms := s.VMs()
	if len(vms) != 1 || len(vms[0].Disks) != 2 {
		t.Fatalf("after the delete the server has %d VMs (the sharer with disks %v); want the sharer with both disks", len(vms), vms[0].Disks)
	}
	if after := s.Count(); after.VDIs != before.VDIs {
		t.Errorf("the delete removed %d VDIs, want none (the shared disk stays)", before.VDIs-after.VDIs)
	}
}
