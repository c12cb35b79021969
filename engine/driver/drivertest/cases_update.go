package drivertest

import (
	"github.com/novacron/novacron/engine/driver"
)

// testGrowCPUMemory: raising cpu and memory of a running VM works hot when
// the capabilities say so, and with Restart otherwise; it stays running.
func testGrowCPUMemory(e *env) {
	spec := e.spec("grow")
	vm := e.create(spec)
	restart := !e.caps.HotAddCPU || !e.caps.HotAddMemory
	spec.CPU, spec.MemoryMiB = 4, 4096
	ch := driver.Changes{CPU: new(4), MemoryMiB: new(int64(4096)), Restart: restart}
	e.update(vm.ID, ch, e.want(spec, vm.ID, vm.Host))
}

// testGrowDisk: growing the disk of a running VM works online when the
// capabilities say so, and with Restart otherwise.
func testGrowDisk(e *env) {
	spec := e.spec("grow-disk")
	vm := e.create(spec)
	spec.DiskGB = 20
	ch := driver.Changes{DiskGB: new(20), Restart: !e.caps.OnlineDiskGrow}
	e.update(vm.ID, ch, e.want(spec, vm.ID, vm.Host))
}

// testShrinkDiskRefused: a disk never shrinks in place, restart or not; the
// error is permanent (the plan replaces the VM instead) and the VM is as it was.
func testShrinkDiskRefused(e *env) {
	spec := e.spec("shrink-disk")
	vm := e.create(spec)
	_, err := e.d.Update(e.ctx, vm.ID, driver.Changes{DiskGB: new(5), Restart: true})
	if err == nil || driver.KindOf(err) != driver.KindPermanent {
		e.t.Errorf("Update shrinking the disk: %v, want a permanent error", err)
	}
	e.check("Inventory after refused shrink", e.vm(vm.ID), e.want(spec, vm.ID, vm.Host))
}

// testLowerCPUNeedsRestart: lowering cpu of a running VM is refused with a
// permanent error without Restart, leaving the VM unchanged; with Restart it
// works and the VM is running again.
func testLowerCPUNeedsRestart(e *env) {
	spec := e.spec("lower-cpu")
	vm := e.create(spec)
	_, err := e.d.Update(e.ctx, vm.ID, driver.Changes{CPU: new(1)})
	if err == nil || driver.KindOf(err) != driver.KindPermanent {
		e.t.Errorf("Update lowering cpu without Restart: %v, want a permanent error", err)
	}
	e.check("Inventory after refused Update", e.vm(vm.ID), e.want(spec, vm.ID, vm.Host))

	spec.CPU = 1
	e.update(vm.ID, driver.Changes{CPU: new(1), Restart: true}, e.want(spec, vm.ID, vm.Host))
}

// testUpdateTags: Tags replace the whole set (keys left out are removed), an
// empty set clears them, and the marker is untouched.
func testUpdateTags(e *env) {
	spec := e.spec("tags")
	vm := e.create(spec)
	for _, tags := range []map[string]string{
		{"owner": "someone-else", "env": "prod"},
		{},
	} {
		spec.Tags = tags
		e.update(vm.ID, driver.Changes{Tags: tags}, e.want(spec, vm.ID, vm.Host))
	}
}

// testUpdateMarker: a marker written on a VM made without one (as an
// import writes it), then another marker over it (a forced import), are
// reported back and leave the user tags alone.
func testUpdateMarker(e *env) {
	spec := e.spec("marker")
	spec.Marker = driver.Marker{}
	vm := e.create(spec)
	for _, m := range []driver.Marker{
		{Address: "fleet.adopted[0]", Lineage: "drivertest-lineage", SpecHash: "h1"},
		{Address: "fleet.adopted[0]", Lineage: "other-lineage", SpecHash: "h2"},
	} {
		spec.Marker = m
		e.update(vm.ID, driver.Changes{Marker: &spec.Marker}, e.want(spec, vm.ID, vm.Host))
	}
}

// testClearMarker: ClearMarker removes the marker (a forget) and leaves
// the user tags and the rest of the VM alone; clearing it again, as a
// forget planned again after a crash does, changes nothing. An inventory
// that lists only marked VMs no longer lists it; the VM is then marked
// again to show, through the inventory, that its tags were kept.
func testClearMarker(e *env) {
	spec := e.spec("clear-marker")
	vm := e.create(spec)
	marker := spec.Marker
	spec.Marker = driver.Marker{}
	want := e.want(spec, vm.ID, vm.Host)
	for i := range 2 {
		got, err := e.d.Update(e.ctx, vm.ID, driver.Changes{ClearMarker: true})
		if err != nil {
			e.t.Fatalf("Update clearing the marker (time %d): %v", i+1, err)
		}
		e.check("Update clearing the marker", got, want)
		if e.hidesUnmarked {
			e.absent(vm.ID)
		} else {
			e.check("Inventory after clearing the marker", e.vm(vm.ID), want)
		}
	}
	if e.hidesUnmarked {
		spec.Marker = marker
		e.update(vm.ID, driver.Changes{Marker: &spec.Marker}, e.want(spec, vm.ID, vm.Host))
	}
}

// testPowerStopStart: Changes.Power stops a running VM and starts it again.
func testPowerStopStart(e *env) {
	spec := e.spec("power")
	vm := e.create(spec)
	for _, p := range []driver.Power{driver.PowerStopped, driver.PowerRunning} {
		spec.Power = p
		e.update(vm.ID, driver.Changes{Power: new(p)}, e.want(spec, vm.ID, vm.Host))
	}
}
