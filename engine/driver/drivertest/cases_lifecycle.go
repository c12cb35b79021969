package drivertest

import (
	"errors"
	"fmt"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

// testCreateThenInventory: a created VM is listed once, exactly as asked,
// with its marker and user tags, on a listed host.
func testCreateThenInventory(e *env) {
	spec := e.spec("create")
	vm := e.create(spec)
	e.check("Inventory after Create", e.vm(vm.ID), e.want(spec, vm.ID, vm.Host))
}

// testCreateStopped: a VM created stopped is reported stopped.
func testCreateStopped(e *env) {
	spec := e.spec("create-stopped")
	spec.Power = driver.PowerStopped
	vm := e.create(spec)
	e.check("Inventory after Create", e.vm(vm.ID), e.want(spec, vm.ID, vm.Host))
}

// testTagsNotAliased: changing the caller's maps after a call, or the maps a
// driver returned, does not change the VM.
func testTagsNotAliased(e *env) {
	spec := e.spec("aliasing")
	want := e.want(spec, "", "")
	vm := e.create(spec)
	spec.Tags["tier"] = "changed-after-create"
	vm.Tags["owner"] = "changed-in-result"
	got := e.vm(vm.ID)
	got.Tags["tier"] = "changed-in-inventory"
	if got.Marker != nil {
		got.Marker.Address = "changed-in-inventory"
	}

	want.ID, want.Host = vm.ID, vm.Host
	e.check("Inventory after changing returned maps", e.vm(vm.ID), want)
}

// testDelete: a deleted VM is no longer listed.
func testDelete(e *env) {
	vm := e.create(e.spec("delete"))
	if err := e.d.Delete(e.ctx, vm.ID); err != nil {
		e.t.Fatalf("Delete(%s): %v", vm.ID, err)
	}
	e.absent(vm.ID)
}

// testDeleteIdempotent: deleting twice, or an ID that never existed, succeeds.
func testDeleteIdempotent(e *env) {
	vm := e.create(e.spec("delete-twice"))
	for i := range 2 {
		if err := e.d.Delete(e.ctx, vm.ID); err != nil {
			e.t.Errorf("Delete #%d of %s: %v, want nil", i+1, vm.ID, err)
		}
	}
	if err := e.d.Delete(e.ctx, missingID); err != nil {
		e.t.Errorf("Delete(%s) of an unknown ID: %v, want nil", missingID, err)
	}
	e.absent(vm.ID)
}

// testUnknownID: Update and Migrate of an ID that never existed, or of a
// deleted VM, fail with a not-found error.
func testUnknownID(e *env) {
	gone := e.create(e.spec("unknown-id"))
	if err := e.d.Delete(e.ctx, gone.ID); err != nil {
		e.t.Fatalf("Delete(%s): %v", gone.ID, err)
	}
	host := ""
	if hosts := e.inventory().Hosts; len(hosts) > 0 {
		host = otherHost(hosts, gone.Host)
	}
	for _, id := range []string{missingID, gone.ID} {
		_, err := e.d.Update(e.ctx, id, driver.Changes{CPU: new(4)})
		if !errors.Is(err, driver.ErrNotFound) {
			e.t.Errorf("Update(%s) of an unknown ID: %v, want a not-found error", id, err)
		}
		err = e.d.Migrate(e.ctx, id, host, true)
		if e.caps.Migrate && !errors.Is(err, driver.ErrNotFound) {
			e.t.Errorf("Migrate(%s) of an unknown ID: %v, want a not-found error", id, err)
		}
		if !e.caps.Migrate && err == nil {
			e.t.Errorf("Migrate(%s) succeeded on a driver that cannot migrate", id)
		}
	}
}

// concurrentCreates is how many Creates testConcurrentCreates runs at once.
const concurrentCreates = 20

// testConcurrentCreates: Creates from many goroutines all succeed with
// distinct IDs, and Inventory lists every one of them.
func testConcurrentCreates(e *env) {
	ids := make([]string, concurrentCreates)
	errs := make([]error, concurrentCreates)
	var wg sync.WaitGroup
	for i := range concurrentCreates {
		wg.Go(func() {
			spec := e.spec(fmt.Sprintf("concurrent-%02d", i))
			spec.CPU, spec.MemoryMiB = 1, 512
			vm, err := e.d.Create(e.ctx, spec)
			ids[i], errs[i] = vm.ID, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		e.t.Fatalf("concurrent Creates: %v", err)
	}
	listed := map[string]int{}
	for _, vm := range e.inventory().VMs {
		listed[vm.ID]++
	}
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" || seen[id] {
			e.t.Errorf("Create #%d returned ID %q, which is empty or not distinct", i, id)
		}
		seen[id] = true
		if listed[id] != 1 {
			e.t.Errorf("Inventory lists VM %s %d times, want once", id, listed[id])
		}
	}
}
