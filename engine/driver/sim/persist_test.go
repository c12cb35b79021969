package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// mutate runs one of each mutation on d and returns the inventory after it.
func mutate(t *testing.T, d *Driver) driver.Inventory {
	t.Helper()
	ctx := context.Background()
	a := mustCreate(t, d, spec("a", "hv-01"))
	b := mustCreate(t, d, spec("b", ""))
	c := mustCreate(t, d, spec("c", "hv-02"))
	unmarked := spec("unmarked", "")
	unmarked.Marker = driver.Marker{}
	mustCreate(t, d, unmarked)
	steps := []error{
		func() error {
			_, err := d.Update(ctx, a.ID, driver.Changes{CPU: new(3), Tags: map[string]string{"x": "y"}})
			return err
		}(),
		func() error {
			_, err := d.Update(ctx, b.ID, driver.Changes{Power: new(driver.PowerStopped)})
			return err
		}(),
		d.Migrate(ctx, a.ID, "hv-03", true),
		d.Delete(ctx, c.ID),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return mustInventory(t, d)
}

func TestPersistAcrossCloseOpen(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sim-lab.journal")); !os.IsNotExist(err) {
		t.Errorf("journal after Close: Stat = %v, want it removed", err)
	}

	d = open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after reopen (-before +after):\n%s", diff)
	}
	// vm-000003 was deleted: IDs are never reused.
	if vm := mustCreate(t, d, spec("d", "")); vm.ID != "vm-000005" {
		t.Errorf("next ID after reopen = %s, want vm-000005", vm.ID)
	}
}

func TestPersistWithoutCloseReplaysJournal(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	crash(t, d)

	d = open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after replay (-before +after):\n%s", diff)
	}
}

// crash lets go of d as a killed process would: no snapshot, journal kept.
func crash(t testing.TB, d *Driver) {
	t.Helper()
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	if err := d.journal.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.lock.release(); err != nil {
		t.Fatal(err)
	}
}

func TestReplayOntoSnapshotIsIdempotent(t *testing.T) {
	// A crash between writing the snapshot and removing the journal leaves
	// both; replaying the journal onto the snapshot must change nothing.
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	journal, err := os.ReadFile(filepath.Join(dir, "sim-lab.journal"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sim-lab.journal"), journal, 0o600); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory (-want +got):\n%s", diff)
	}
}

func TestCorruptJournalLineIsAnError(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	mustCreate(t, d, spec("a", ""))
	crash(t, d)
	path := filepath.Join(dir, "sim-lab.journal")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append([]byte("not json\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openErr(t, dir, nil); err == nil {
		t.Fatal("Open with a corrupt (complete) journal line succeeded, want an error")
	}
}

func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nova")
	d := open(t, dir, nil)
	mustCreate(t, d, spec("a", ""))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{
		"":             0o700 | os.ModeDir,
		"sim-lab.json": 0o600,
		"sim-lab.lock": 0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("mode of %q = %v, want %v", name, fi.Mode(), want)
		}
	}
}

func TestFailedJournalWriteStopsMutations(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	kept := mustCreate(t, d, spec("kept", ""))
	d.journal.Close() // every later write fails, as on a full disk

	for i := range 2 {
		if _, err := d.Create(context.Background(), spec("lost", "")); err == nil {
			t.Fatalf("Create #%d after the journal broke succeeded", i+1)
		}
	}
	if n := len(mustInventory(t, d).VMs); n != 1 {
		t.Errorf("%d VMs after failed Creates, want 1", n)
	}
	d.Close() // reports the closed journal; the snapshot must still be written
	d = open(t, dir, nil)
	if diff := cmp.Diff([]string{kept.ID}, ids(mustInventory(t, d))); diff != "" {
		t.Errorf("VMs after reopen (-want +got):\n%s", diff)
	}
}

func TestOpenRemovesTempSnapshots(t *testing.T) {
	dir := t.TempDir()
	leftover := filepath.Join(dir, "sim-lab.json.tmp12345")
	other := filepath.Join(dir, "sim-labx.json.tmp1")
	for _, f := range []string{leftover, other} {
		if err := os.WriteFile(f, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	open(t, dir, nil)
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover temp snapshot still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the temp file of another provider was touched: %v", err)
	}
}
