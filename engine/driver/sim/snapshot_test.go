package sim

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// fileState is what shows that a file was rewritten: its identity (a
// rename over it makes a new one) and its modification time.
type fileState struct {
	info os.FileInfo
}

func statFile(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{fi}
}

func (s fileState) same(o fileState) bool {
	return os.SameFile(s.info, o.info) && s.info.ModTime().Equal(o.info.ModTime())
}

// listDir names the files in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// A cluster opened, read and closed without a change keeps its snapshot
// files as they were: Close neither encodes nor syncs them.
func TestCloseWithoutChangeWritesNothing(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	snap, pointer := filepath.Join(dir, "sim-lab.snap"), filepath.Join(dir, "sim-lab.json")
	before := []fileState{statFile(t, snap), statFile(t, pointer)}
	time.Sleep(10 * time.Millisecond) // a rewrite would show in the modification time

	for range 2 {
		d = open(t, dir, nil)
		if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
			t.Errorf("Inventory after reopen (-want +got):\n%s", diff)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for i, path := range []string{snap, pointer} {
		if !before[i].same(statFile(t, path)) {
			t.Errorf("%s was rewritten by a Close without a change", filepath.Base(path))
		}
	}
	if diff := cmp.Diff([]string{"sim-lab.json", "sim-lab.lock", "sim-lab.snap"}, listDir(t, dir)); diff != "" {
		t.Errorf("files after Close (-want +got):\n%s", diff)
	}
}

// A change after a reopen is saved: the snapshot is rewritten.
func TestCloseAfterChangeWritesSnapshot(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	mustCreate(t, d, spec("a", ""))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "sim-lab.snap")
	before := statFile(t, snap)
	d = open(t, dir, nil)
	if err := d.Delete(t.Context(), "vm-000001"); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if before.same(statFile(t, snap)) {
		t.Error("the snapshot was not rewritten after a Delete")
	}
	if n := len(mustInventory(t, open(t, dir, nil)).VMs); n != 0 {
		t.Errorf("%d VMs after the Delete and a reopen, want 0", n)
	}
}

// A JSON snapshot of version 1, as NovaCron wrote it before the compact
// snapshot, is read, and left as it is by a Close without a change (a
// command that only reads writes nothing); the first Close after a change
// upgrades it: the cluster moves to sim-NAME.snap, and sim-NAME.json only
// names it, with a version an older NovaCron refuses.
func TestVersion1SnapshotIsReadAndUpgraded(t *testing.T) {
	dir := t.TempDir()
	v1, err := os.ReadFile(filepath.Join("testdata", "v1-snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	pointer := filepath.Join(dir, "sim-lab.json")
	if err := os.WriteFile(pointer, v1, 0o600); err != nil {
		t.Fatal(err)
	}
	want := driver.Inventory{
		VMs: []driver.VM{
			{ID: "vm-000001", Name: "a", Host: "hv-03", CPU: 3, MemoryMiB: 1024, DiskGB: 10,
				Power: driver.PowerRunning, Template: `image="ubuntu-22.04"`, Addresses: []string{"10.0.0.1"},
				Tags:   map[string]string{"x": "y"},
				Marker: &driver.Marker{Address: "vm.a", Lineage: "L", SpecHash: "h"}},
			{ID: "vm-000004", Name: "unmarked", Host: "hv-02", CPU: 1, MemoryMiB: 1024, DiskGB: 10,
				Power: driver.PowerStopped, Template: `image="ubuntu-22.04"`},
		},
		Hosts: testHosts(),
	}
	d := open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Fatalf("Inventory of the version 1 snapshot (-want +got):\n%s", diff)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(pointer); err != nil || !bytes.Equal(data, v1) {
		t.Errorf("sim-lab.json after a Close without a change = %.100s (%v), want the version 1 snapshot as it was", data, err)
	}
	for _, name := range []string{"sim-lab.snap", "sim-lab.journal"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after a Close without a change: %v, want none", name, err)
		}
	}
	d = open(t, dir, nil)
	next := mustCreate(t, d, spec("next", ""))
	if next.ID != "vm-000005" {
		t.Errorf("next ID = %s, want vm-000005 (last_id 4 kept)", next.ID)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(pointer)
	if err != nil {
		t.Fatal(err)
	}
	var old struct{ Version int } // what an older NovaCron reads first
	if err := json.Unmarshal(data, &old); err != nil || old.Version != 2 {
		t.Errorf("sim-lab.json after the upgrade = %s, want a file of version 2 (%v)", data, err)
	}
	if !bytes.Contains(data, []byte(`"sim-lab.snap"`)) {
		t.Errorf("sim-lab.json after the upgrade = %s, want it to name sim-lab.snap", data)
	}
	want.VMs = append(want.VMs, next)
	d = open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after the upgrade (-want +got):\n%s", diff)
	}
	if vm := mustCreate(t, d, spec("after", "")); vm.ID != "vm-000006" {
		t.Errorf("next ID after the upgrade = %s, want vm-000006", vm.ID)
	}
}

// testHosts are the hosts of the default config.
func testHosts() []driver.Host {
	var hosts []driver.Host
	for _, n := range []string{"hv-01", "hv-02", "hv-03", "hv-04"} {
		hosts = append(hosts, driver.Host{Name: n, CPU: 32, MemoryMiB: 128 * 1024})
	}
	return hosts
}

// A crash between writing the compact snapshot and the file naming it
// leaves a version 1 JSON snapshot beside a newer compact one: the compact
// one is read, and the next Close replaces the JSON file even without a
// change.
func TestCrashBetweenSnapshotWrites(t *testing.T) {
	dir := t.TempDir()
	old, err := os.ReadFile(filepath.Join("testdata", "v1-snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := open(t, dir, nil)
	mutate(t, d)
	mustCreate(t, d, spec("extra", ""))
	want := mustInventory(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	pointer := filepath.Join(dir, "sim-lab.json")
	if err := os.WriteFile(pointer, old, 0o600); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory (-want +got):\n%s", diff)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !isPointer(pointer) {
		t.Error("sim-lab.json still holds the old cluster after Close")
	}
}

// Damaged snapshot files are errors naming the file, never a panic or an
// empty cluster.
func TestDamagedSnapshotIsAnError(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "sim-lab.snap")
	good, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	c, err := decodeCompact(good)
	if err != nil {
		t.Fatal(err)
	}
	cols := toColumns(c)
	cols.Host[1] = int32(len(cols.Shared)) // an index past the shared strings
	badIndex := encodeColumns(t, cols)
	cols = toColumns(c)
	cols.Name = cols.Name[:1] // a short column
	shortColumn := encodeColumns(t, cols)

	for _, tc := range []struct {
		name string
		data []byte // nil: the file is removed
		want string
	}{
		{"truncated", good[:len(good)/2], "sim-lab.snap"},
		{"not a snapshot", []byte("{}"), "not a snapshot of the simulated provider"},
		{"index out of range", badIndex, "damaged"},
		{"short column", shortColumn, "damaged"},
		{"compact snapshot missing", nil, "the compact snapshot it names is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.data == nil {
				if err := os.Remove(snap); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(snap, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := openErr(t, dir, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func encodeColumns(t *testing.T, cols *columns) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(compactHeader{Magic: compactMagic, Version: compactVersion}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(cols); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ReadSnapshotJSON and WriteSnapshotJSON give tests the cluster in the JSON
// layout of version 1, journal included, and refuse a cluster in use.
func TestSnapshotJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if _, err := ReadSnapshotJSON(dir, "lab"); err == nil || !strings.Contains(err.Error(), "another process has it open") {
		t.Errorf("ReadSnapshotJSON of an open cluster = %v, want an error", err)
	}
	crash(t, d) // the VMs are in the journal only

	data, err := ReadSnapshotJSON(dir, "lab")
	if err != nil {
		t.Fatal(err)
	}
	var snap jsonSnapshot
	if err := json.Unmarshal(data, &snap); err != nil || snap.Version != 1 || len(snap.VMs) != len(want.VMs) {
		t.Fatalf("ReadSnapshotJSON = %s (%v), want version 1 with %d VMs", data, err, len(want.VMs))
	}
	snap.VMs[0].Name = "renamed"
	want.VMs[0].Name = "renamed"
	if data, err = json.Marshal(snap); err != nil {
		t.Fatal(err)
	}
	if err := WriteSnapshotJSON(dir, "lab", data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sim-lab.journal")); !os.IsNotExist(err) {
		t.Errorf("journal after WriteSnapshotJSON: %v, want it removed", err)
	}
	if diff := cmp.Diff(want, mustInventory(t, open(t, dir, nil))); diff != "" {
		t.Errorf("Inventory after WriteSnapshotJSON (-want +got):\n%s", diff)
	}
}
