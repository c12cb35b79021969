package drivertest

import "github.com/novacron/novacron/engine/driver"

// testMigrate: a running VM moves to another host (live when the driver can)
// and back (cold), still running and otherwise unchanged; moving to its own
// host or to an unknown host is an error that leaves it where it was. A
// driver that cannot migrate must refuse.
func testMigrate(e *env) {
	spec := e.spec("migrate")
	vm := e.create(spec)
	hosts := e.inventory().Hosts
	target := otherHost(hosts, vm.Host)
	if !e.caps.Migrate {
		if err := e.d.Migrate(e.ctx, vm.ID, target, false); err == nil {
			e.t.Errorf("Migrate succeeded on a driver whose Capabilities say it cannot migrate")
		}
		return
	}
	e.migrateRefused(spec, vm.ID, vm.Host, vm.Host, "its own host")
	e.migrateRefused(spec, vm.ID, vm.Host, missingHost, "an unknown host")
	if target == "" {
		e.t.Logf("Inventory lists %d host(s): moving between hosts not exercised", len(hosts))
		return
	}
	e.migrate(spec, vm.ID, target, e.caps.LiveMigrate)
	e.migrate(spec, vm.ID, vm.Host, false)
}

// migrate moves the VM and checks that only its host changed.
func (e *env) migrate(spec driver.VMSpec, id, host string, live bool) {
	e.t.Helper()
	if err := e.d.Migrate(e.ctx, id, host, live); err != nil {
		e.t.Fatalf("Migrate(%s, %s, live=%t): %v", id, host, live, err)
	}
	e.check("Inventory after Migrate", e.vm(id), e.want(spec, id, host))
}

// migrateRefused checks that moving the VM to host fails and leaves it on from.
func (e *env) migrateRefused(spec driver.VMSpec, id, from, host, what string) {
	e.t.Helper()
	if err := e.d.Migrate(e.ctx, id, host, true); err == nil {
		e.t.Errorf("Migrate(%s) to %s (%q) succeeded, want an error", id, what, host)
	}
	e.check("Inventory after refused Migrate", e.vm(id), e.want(spec, id, from))
}
