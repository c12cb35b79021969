package drivertest_test

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/engine/driver/sim"
)

// The suite is tested the way a test of tests must be: it passes a correct
// driver (the sim), and it fails each of a set of mutants, drivers broken in
// one way on purpose. A mutant runs in a child process, since a failing
// suite fails the test that runs it.

// mutantEnv names the mutant TestSuite runs against in a child process.
const mutantEnv = "NOVACRON_DRIVERTEST_MUTANT"

// TestSuite runs the suite against the sim, or in a child process against
// the mutant mutantEnv names.
func TestSuite(t *testing.T) {
	mutant := os.Getenv(mutantEnv)
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "t", DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if mutant == "" {
				return d
			}
			m := &mutantDriver{Driver: d, kind: mutant, tags: map[string]map[string]string{}}
			if mutant == "canonical-id-not-enforced" {
				return canonMutant{m}
			}
			return m
		},
		Template: driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu"}},
	})
}

func TestSuiteCatchesMutants(t *testing.T) {
	if os.Getenv(mutantEnv) != "" {
		t.Fatal("mutant child ran the wrong test")
	}
	tests := []struct{ mutant, failingCase string }{
		{"leak-marker-tags", "CreateThenInventory"},
		{"drop-marker", "CreateThenInventory"},
		{"alias-tags", "TagsNotAliased"},
		{"hot-shrink", "LowerCPUNeedsRestart"},
		{"shrink-disk", "ShrinkDiskRefused"},
		{"merge-tags", "UpdateTags"},
		{"ignore-power", "PowerStopStart"},
		{"migrate-noop", "Migrate"},
		{"delete-unknown-fails", "DeleteIdempotent"},
		{"delete-noop", "Delete"},
		{"not-found-permanent", "UnknownID"},
		{"create-running", "CreateStopped"},
		{"no-grow", "GrowCPUMemory"},
		{"ignore-marker", "UpdateMarker"},
		{"ignore-clear-marker", "ClearMarker"},
		{"clear-drops-tags", "ClearMarker"},
		{"clear-writes-empty-marker", "ClearMarker"},
		{"busy-when-concurrent", "ConcurrentCreates"},
		{"resolve-other-spelling", "CanonicalIDs"},
		{"canonical-id-not-enforced", "CanonicalIDs"},
		{"inventory-not-canonical", "CanonicalIDs"},
	}
	for _, tt := range tests {
		t.Run(tt.mutant, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuite$", "-test.v")
			cmd.Env = append(os.Environ(), mutantEnv+"="+tt.mutant)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed mutant %s:\n%s", tt.mutant, out)
			}
			if want := "--- FAIL: TestSuite/" + tt.failingCase + " "; !strings.Contains(string(out), want) {
				t.Errorf("case %s did not fail for mutant %s:\n%s", tt.failingCase, tt.mutant, out)
			}
		})
	}
}

// mutantDriver is a correct driver broken in the one way kind names.
type mutantDriver struct {
	driver.Driver
	kind string
	mu   sync.Mutex                   // guards tags: Creates run concurrently
	tags map[string]map[string]string // alias-tags: the caller's maps, by ID
	// cleared are the VMs clear-writes-empty-marker cleared the marker of.
	cleared sync.Map

	inFlight atomic.Int32 // busy-when-concurrent: Creates under way
}

func (m *mutantDriver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	switch m.kind {
	case "create-running":
		spec.Power = driver.PowerRunning
	case "busy-when-concurrent":
		defer m.inFlight.Add(-1)
		if m.inFlight.Add(1) > 1 {
			return driver.VM{}, driver.Errorf(driver.KindTransient, "busy")
		}
		time.Sleep(time.Millisecond)
	}
	vm, err := m.Driver.Create(ctx, spec)
	if m.kind == "alias-tags" {
		m.mu.Lock()
		m.tags[vm.ID] = spec.Tags
		m.mu.Unlock()
	}
	return vm, err
}

func (m *mutantDriver) Inventory(ctx context.Context) (driver.Inventory, error) {
	inv, err := m.Driver.Inventory(ctx)
	for i := range inv.VMs {
		vm := &inv.VMs[i]
		switch m.kind {
		case "inventory-not-canonical":
			vm.ID += " "
		case "leak-marker-tags":
			maps.Copy(vm.Tags, vm.Marker.Tags())
		case "drop-marker":
			vm.Marker = nil
		case "clear-writes-empty-marker":
			if _, ok := m.cleared.Load(vm.ID); ok && vm.Marker == nil {
				vm.Marker = &driver.Marker{}
			}
		case "alias-tags":
			m.mu.Lock()
			tags, ok := m.tags[vm.ID]
			m.mu.Unlock()
			if ok {
				vm.Tags = tags
			}
		}
	}
	return inv, err
}

func (m *mutantDriver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	id = m.resolve(id)
	switch m.kind {
	case "hot-shrink":
		ch.Restart = true
	case "shrink-disk":
		if ch.DiskGB != nil {
			ch.DiskGB = nil
		}
	case "ignore-power":
		ch.Power = nil
	case "ignore-marker":
		ch.Marker = nil
	case "ignore-clear-marker":
		ch.ClearMarker = false
	case "clear-drops-tags":
		if ch.ClearMarker {
			ch.Tags = map[string]string{}
		}
	case "clear-writes-empty-marker":
		if ch.ClearMarker {
			m.cleared.Store(id, true)
		}
	case "no-grow":
		ch.CPU, ch.MemoryMiB = nil, nil
	case "merge-tags":
		if ch.Tags != nil {
			inv, _ := m.Driver.Inventory(ctx)
			for _, vm := range inv.VMs {
				if vm.ID == id {
					ch.Tags = maps.Clone(ch.Tags)
					maps.Copy(vm.Tags, ch.Tags)
					ch.Tags = vm.Tags
				}
			}
		}
	}
	vm, err := m.Driver.Update(ctx, id, ch)
	if m.kind == "not-found-permanent" && err != nil {
		err = driver.Errorf(driver.KindPermanent, "%s", err.Error())
	}
	return vm, err
}

func (m *mutantDriver) Migrate(ctx context.Context, id, host string, live bool) error {
	id = m.resolve(id)
	if m.kind == "migrate-noop" {
		return nil
	}
	return m.Driver.Migrate(ctx, id, host, live)
}

func (m *mutantDriver) Delete(ctx context.Context, id string) error {
	id = m.resolve(id)
	switch m.kind {
	case "delete-noop":
		return nil
	case "delete-unknown-fails":
		inv, _ := m.Driver.Inventory(ctx)
		for _, vm := range inv.VMs {
			if vm.ID == id {
				return m.Driver.Delete(ctx, id)
			}
		}
		return driver.Errorf(driver.KindNotFound, "no VM %s", id)
	}
	return m.Driver.Delete(ctx, id)
}

// resolve is what resolve-other-spelling does to an id: it takes another
// spelling (case, spaces) for the VM, as libvirt's UUID parser would.
func (m *mutantDriver) resolve(id string) string {
	if m.kind == "resolve-other-spelling" {
		return strings.ToLower(strings.TrimSpace(id))
	}
	return id
}

// canonMutant says, through CanonicalID, that any case of an id is the
// VM's, but its Update, Delete and Migrate do not refuse the other cases:
// they report the VM not found (or, Delete, gone) instead of refusing.
type canonMutant struct{ *mutantDriver }

func (c canonMutant) CanonicalID(id string) (string, bool) { return strings.ToLower(id), true }
