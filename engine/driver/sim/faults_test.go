package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// failures creates n VMs one after another with the given fail_rate and
// seed, and reports which Creates failed. Every failure must be transient
// and leave nothing behind.
func failures(t *testing.T, rate float64, seed int64, n int) []bool {
	t.Helper()
	d := open(t, t.TempDir(), driver.Config{
		"fail_rate": rate, "seed": seed, "host_cpu": int64(4096), "host_memory_gb": float64(1 << 20),
	})
	failed := make([]bool, n)
	created := 0
	for i := range n {
		vm, err := d.Create(context.Background(), spec(fmt.Sprint("vm", i), ""))
		if err != nil {
			failed[i] = true
			if !errors.Is(err, driver.ErrTransient) {
				t.Fatalf("Create #%d: %v, want a transient error", i, err)
			}
			continue
		}
		created++
		if want := formatID(int64(created)); vm.ID != want {
			t.Fatalf("Create #%d got ID %s, want %s: a failed Create used an ID", i, vm.ID, want)
		}
	}
	if got := len(mustInventory(t, d).VMs); got != created {
		t.Errorf("Inventory has %d VMs, want the %d successful Creates", got, created)
	}
	return failed
}

func TestFailRate(t *testing.T) {
	const n = 2000
	first := failures(t, 0.3, 42, n)
	count := 0
	for _, f := range first {
		if f {
			count++
		}
	}
	// 0.3 of 2000 is 600, with a standard deviation of about 20.
	if count < 520 || count > 680 {
		t.Errorf("%d of %d Creates failed with fail_rate 0.3, want about 600", count, n)
	}
	if diff := cmp.Diff(first, failures(t, 0.3, 42, n)); diff != "" {
		t.Errorf("the same seed gave different failures (-first +second):\n%s", diff)
	}
	if cmp.Equal(first, failures(t, 0.3, 43, n)) {
		t.Error("seeds 42 and 43 gave the same failures")
	}
}

func TestFailRateOneFailsEveryMutation(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	vm := mustCreate(t, d, spec("a", "hv-01"))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, driver.Config{"fail_rate": float64(1)})
	ctx := context.Background()
	ops := map[string]error{
		"Create":  func() error { _, err := d.Create(ctx, spec("b", "")); return err }(),
		"Update":  func() error { _, err := d.Update(ctx, vm.ID, driver.Changes{CPU: new(2)}); return err }(),
		"Migrate": d.Migrate(ctx, vm.ID, "hv-02", true),
		"Delete":  d.Delete(ctx, vm.ID),
	}
	for op, err := range ops {
		if !errors.Is(err, driver.ErrTransient) {
			t.Errorf("%s with fail_rate 1: %v, want a transient error", op, err)
		}
	}
	for range 20 {
		if _, err := d.Inventory(ctx); err != nil {
			t.Fatalf("Inventory with fail_rate 1: %v, want it never to fail", err)
		}
	}
	got := mustInventory(t, d).VMs
	if diff := cmp.Diff([]driver.VM{vm}, got); diff != "" {
		t.Errorf("failed mutations changed the cluster (-want +got):\n%s", diff)
	}
}

func TestLatencyIsApplied(t *testing.T) {
	const latency = 30 * time.Millisecond
	d := open(t, t.TempDir(), driver.Config{"latency": latency})
	ctx := context.Background()
	var id string
	ops := []struct {
		name string
		run  func() error
	}{
		{"Create", func() error { vm, err := d.Create(ctx, spec("a", "hv-01")); id = vm.ID; return err }},
		{"Inventory", func() error { _, err := d.Inventory(ctx); return err }},
		{"Update", func() error { _, err := d.Update(ctx, id, driver.Changes{CPU: new(2)}); return err }},
		{"Migrate", func() error { return d.Migrate(ctx, id, "hv-02", true) }},
		{"Delete", func() error { return d.Delete(ctx, id) }},
	}
	for _, op := range ops {
		start := time.Now()
		if err := op.run(); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
		if took := time.Since(start); took < latency {
			t.Errorf("%s took %v, want at least the latency %v", op.name, took, latency)
		}
	}
}

func TestLatencyHonoursContext(t *testing.T) {
	d := open(t, t.TempDir(), driver.Config{"latency": time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := d.Create(ctx, spec("a", ""))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, driver.ErrTransient) {
		t.Errorf("Create past its deadline: %v, want a transient context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Create took %v: it did not stop at the deadline", took)
	}
	if _, err := d.Inventory(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Inventory with a done context: %v, want context.DeadlineExceeded", err)
	}
	d.faults.latency = 0
	if n := len(mustInventory(t, d).VMs); n != 0 {
		t.Errorf("a Create cancelled during its latency left %d VMs", n)
	}
}
