package libvirt

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// The tests of this file fail the driver part-way, on libvirtd's test host,
// and check that a retry (by the same driver, or by a new one as the next
// run of nova-plan would open) finishes the job and leaks nothing. Real
// faults where libvirt has one on cue (a stopped storage pool refuses to
// remove or list volumes); failAt where only a crash would do.

// errCrash is what a crash injected by crashAt panics with.
var errCrash = errors.New("crash injected by the test")

// crashAt makes the step panic, as if the process died there, until the
// test ends.
func crashAt(t *testing.T, step string) {
	t.Helper()
	failAtStep(t, step, func() error { panic(errCrash) })
}

// failAtStep makes the step return what fail returns, until the test ends.
func failAtStep(t *testing.T, step string, fail func() error) {
	t.Helper()
	failAt = func(s string) error {
		if s == step {
			return fail()
		}
		return nil
	}
	t.Cleanup(func() { failAt = nil })
}

// crashes runs f and reports whether it crashed at an injected step.
func crashes(f func()) (crashed bool) {
	defer func() {
		if r := recover(); r != nil {
			if r != errCrash {
				panic(r)
			}
			crashed = true
		}
	}()
	f()
	return false
}

// testVolumes lists the volumes of the test host's pool but the base.
func testVolumes(t *testing.T, l *lv.Libvirt) []string {
	t.Helper()
	pool, err := l.StoragePoolLookupByName(testPool)
	if err != nil {
		t.Fatal(err)
	}
	vols, _, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	if err != nil {
		t.Fatalf("listing the volumes of %s: %v", testPool, err)
	}
	var out []string
	for _, v := range vols {
		if v.Name != testBase {
			out = append(out, v.Name)
		}
	}
	slices.Sort(out)
	return out
}

// setPool starts or stops the test host's pool behind the driver's back.
func setPool(t *testing.T, l *lv.Libvirt, active bool) {
	t.Helper()
	pool, err := l.StoragePoolLookupByName(testPool)
	if err == nil && active {
		err = l.StoragePoolCreate(pool, 0)
	} else if err == nil {
		err = l.StoragePoolDestroy(pool)
	}
	if err != nil {
		t.Fatalf("setting pool %s active=%t: %v", testPool, active, err)
	}
}

// domainVolumes are the volumes a VM's metadata records, sorted.
func domainVolumes(t *testing.T, d *Driver, id string) []string {
	t.Helper()
	h, l, dom, err := d.find(id)
	if err != nil {
		t.Fatal(err)
	}
	def, err := d.definition(l, h, dom)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range def.meta.Volumes {
		out = append(out, v.Name)
	}
	slices.Sort(out)
	return out
}

// mustDelete deletes a VM and checks that the pool keeps nothing of it.
func mustDelete(t *testing.T, d *Driver, l *lv.Libvirt, id string) {
	t.Helper()
	if err := d.Delete(t.Context(), id); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if left := testVolumes(t, l); len(left) > 0 {
		t.Errorf("after Delete the pool still holds %v", left)
	}
}

// TestDeleteRetryAfterVolumeRemovalFailed: a Delete whose volumes cannot be
// removed fails; its retry, by the same driver or a new one, removes them,
// though the first attempt may have undefined the domain already.
func TestDeleteRetryAfterVolumeRemovalFailed(t *testing.T) {
	for _, retry := range []string{"same driver", "new driver"} {
		t.Run(retry, func(t *testing.T) {
			l := testHost(t)
			d := openDriver(t, testConfig())
			vm := mustCreate(t, d, testSpec("del", volumeTemplate))
			setPool(t, l, false)
			err := d.Delete(t.Context(), vm.ID)
			if err == nil || !strings.Contains(err.Error(), "not active") {
				t.Fatalf("Delete with the pool stopped: %v, want the pool's error", err)
			}
			setPool(t, l, true)
			if retry == "new driver" {
				d = openDriver(t, testConfig())
			}
			mustDelete(t, d, l, vm.ID)
		})
	}
}

// TestCreateRetryAfterCrash crashes Create at each step after it made
// something, then acts as the next run would: a new driver reads the
// inventory (the engine adopts a VM carrying its marker, or creates it
// again when there is none), and deleting the VM at the end leaves no
// volume behind.
func TestCreateRetryAfterCrash(t *testing.T) {
	cases := []struct {
		step  string
		found bool // the inventory lists the VM after the crash
	}{
		{stepVolumesMade, false},
		{stepDefined, true},
	}
	for _, tc := range cases {
		t.Run(tc.step, func(t *testing.T) {
			l := testHost(t)
			spec := testSpec("crash", volumeTemplate)
			crashAt(t, tc.step)
			if !crashes(func() { openDriver(t, testConfig()).Create(t.Context(), spec) }) {
				t.Fatalf("Create did not reach step %q", tc.step)
			}
			failAt = nil
			d := openDriver(t, testConfig())
			var vm driver.VM
			for _, got := range mustInventory(t, d).VMs {
				if got.Name == spec.Name {
					vm = got
				}
			}
			if found := vm.ID != ""; found != tc.found {
				t.Fatalf("after the crash the inventory lists the VM: %t, want %t", found, tc.found)
			}
			if !tc.found {
				vm = mustCreate(t, d, spec)
				if diff := cmp.Diff(domainVolumes(t, d, vm.ID), testVolumes(t, l)); diff != "" {
					t.Errorf("the pool holds other volumes than the VM's (-VM's +pool):\n%s", diff)
				}
			} else if vm.Marker == nil || *vm.Marker != spec.Marker || vm.Power != driver.PowerStopped {
				t.Errorf("the VM left by the crash is %+v; want it stopped, with its marker", vm)
			}
			mustDelete(t, d, l, vm.ID)
		})
	}
}

// TestCopyDisk grows the disk of a stopped VM on the test host, whose pool
// cannot resize volumes: the disk is copied to a larger volume, the domain
// points at the copy, and the old volume is gone.
func TestCopyDisk(t *testing.T) {
	l := testHost(t)
	d := openDriver(t, testConfig())
	spec := testSpec("copy", volumeTemplate)
	spec.Power = driver.PowerStopped
	vm := mustCreate(t, d, spec)
	before := testVolumes(t, l)
	got, err := d.Update(t.Context(), vm.ID, driver.Changes{DiskGB: new(3)})
	if err != nil {
		t.Fatalf("growing the disk: %v", err)
	}
	if got.DiskGB != 3 {
		t.Errorf("after growing the disk to 3 GB the VM reports %d GB", got.DiskGB)
	}
	name, capacity := diskVolume(t, d, l, vm.ID)
	if capacity != 3<<30 {
		t.Errorf("the disk volume %s holds %d bytes, want 3 GiB", name, capacity)
	}
	if diff := cmp.Diff([]string{name}, testVolumes(t, l)); diff != "" {
		t.Errorf("volumes after the copy (was %v) (-want +got):\n%s", before, diff)
	}
	if diff := cmp.Diff([]string{name}, domainVolumes(t, d, vm.ID)); diff != "" {
		t.Errorf("volumes the metadata records (-want +got):\n%s", diff)
	}
	mustDelete(t, d, l, vm.ID)
}

// TestCopyDiskInterrupted fails or crashes the copy of a disk before and
// after the domain is switched to the larger copy: the domain's disk must
// exist whatever happened, and a retry of the update (or none), then
// Delete, leave nothing behind.
func TestCopyDiskInterrupted(t *testing.T) {
	cases := []struct {
		step, how string
		retry     bool
	}{
		{stepDiskCopied, "crash", true},
		{stepDiskCopied, "crash", false},
		{stepDiskSwitched, "error", true},
		{stepDiskSwitched, "crash", true},
		{stepDiskSwitched, "crash", false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%s/retry=%t", tc.step, tc.how, tc.retry), func(t *testing.T) {
			l := testHost(t)
			d := openDriver(t, testConfig())
			spec := testSpec("copyfail", volumeTemplate)
			spec.Power = driver.PowerStopped
			vm := mustCreate(t, d, spec)
			grow := driver.Changes{DiskGB: new(3)}
			if tc.how == "crash" {
				crashAt(t, tc.step)
				if !crashes(func() { d.Update(t.Context(), vm.ID, grow) }) {
					t.Fatalf("the copy did not reach %q", tc.step)
				}
				d = openDriver(t, testConfig())
			} else {
				failAtStep(t, tc.step, func() error {
					return driver.Errorf(driver.KindTransient, "injected failure")
				})
				if _, err := d.Update(t.Context(), vm.ID, grow); err == nil {
					t.Fatal("Update succeeded despite the injected failure")
				}
			}
			failAt = nil
			diskVolume(t, d, l, vm.ID) // fails the test when the domain's disk is gone
			if tc.retry {
				got, err := d.Update(t.Context(), vm.ID, grow)
				if err != nil {
					t.Fatalf("retrying the growth: %v", err)
				}
				if _, capacity := diskVolume(t, d, l, vm.ID); got.DiskGB != 3 || capacity != 3<<30 {
					t.Errorf("after the retry the VM reports %d GB and its disk holds %d bytes; want 3 GB, 3 GiB", got.DiskGB, capacity)
				}
			}
			mustDelete(t, d, l, vm.ID)
		})
	}
}

// diskVolume returns the name and capacity of the volume at the path the
// domain's disk names, failing when there is none.
func diskVolume(t *testing.T, d *Driver, l *lv.Libvirt, id string) (string, uint64) {
	t.Helper()
	h, dl, dom, err := d.find(id)
	if err != nil {
		t.Fatal(err)
	}
	def, err := d.definition(dl, h, dom)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := def.disk()
	vol, err := l.StorageVolLookupByPath(path)
	if err != nil {
		t.Fatalf("the domain's disk %s is no volume: %v", path, err)
	}
	_, capacity, _, err := l.StorageVolGetInfo(vol)
	if err != nil {
		t.Fatal(err)
	}
	return vol.Name, capacity
}

// TestFailedRestartLeavesVMRunning: an update that stops a running VM to
// grow its disk and then fails (the pool is stopped, so the disk cannot
// be copied) starts the VM again before it reports the failure.
func TestFailedRestartLeavesVMRunning(t *testing.T) {
	l := testHost(t)
	d := openDriver(t, testConfig())
	vm := mustCreate(t, d, testSpec("restart", volumeTemplate))
	setPool(t, l, false)
	_, err := d.Update(t.Context(), vm.ID, driver.Changes{DiskGB: new(3), Restart: true})
	setPool(t, l, true)
	if err == nil || !strings.Contains(err.Error(), "not active") {
		t.Fatalf("growing the disk with the pool stopped: %v, want the pool's error", err)
	}
	if got := findVM(t, d, vm.ID); got.Power != driver.PowerRunning || got.DiskGB != 2 {
		t.Errorf("after the failed update the VM is %s with %d GB; want it running as before, with 2 GB", got.Power, got.DiskGB)
	}
	mustDelete(t, d, l, vm.ID)
}
