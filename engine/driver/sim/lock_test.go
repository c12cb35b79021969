package sim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

func TestLockRefusesSecondOpen(t *testing.T) {
	dir := t.TempDir()
	first := open(t, dir, nil)

	const wait = 150 * time.Millisecond
	start := time.Now() // before the context's deadline is set, so took >= wait
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	d, err := Open(ctx, driver.OpenRequest{Name: "lab", DataDir: dir})
	if err == nil {
		d.Close()
		t.Fatal("second Open of a locked cluster succeeded")
	}
	if took := time.Since(start); took < wait {
		t.Errorf("second Open gave up after %v, want it to wait its context's %v", took, wait)
	}
	for _, want := range []string{
		filepath.Join(dir, "sim-lab.lock"),
		"another nova-plan process is using the simulated provider",
		fmt.Sprintf("(pid %d)", os.Getpid()),
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, dir, nil)
}

func TestLockWaitsForRelease(t *testing.T) {
	dir := t.TempDir()
	first := open(t, dir, nil)
	mustCreate(t, first, spec("a", ""))
	released := make(chan error, 1)
	time.AfterFunc(100*time.Millisecond, func() { released <- first.Close() })

	second := open(t, dir, nil) // waits up to 5s
	if err := <-released; err != nil {
		t.Fatalf("Close of the first driver: %v", err)
	}
	if n := len(mustInventory(t, second).VMs); n != 1 {
		t.Errorf("second driver sees %d VMs, want the 1 the first made", n)
	}
}

func TestLockIsPerProvider(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	d, err := Open(ctx, driver.OpenRequest{Name: "other", DataDir: dir})
	if err != nil {
		t.Fatalf("Open of another provider in the same folder: %v", err)
	}
	d.Close()
}

func TestClosedDriverRefusesCalls(t *testing.T) {
	d := open(t, t.TempDir(), nil)
	vm := mustCreate(t, d, spec("a", ""))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
	ctx := context.Background()
	if _, err := d.Inventory(ctx); err == nil {
		t.Error("Inventory after Close succeeded")
	}
	if _, err := d.Create(ctx, spec("b", "")); err == nil {
		t.Error("Create after Close succeeded")
	}
	if err := d.Delete(ctx, vm.ID); err == nil {
		t.Error("Delete after Close succeeded")
	}
}
