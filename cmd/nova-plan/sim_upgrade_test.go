package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/driver/sim"
)

// A simulated cluster an older NovaCron kept (sim-lab.json of format
// version 1) is read as it is by the commands that change nothing: plan,
// inventory, drift and an apply with no changes write nothing to the
// simulator's files, so the older release can still open the workspace.
// The first command that changes the cluster upgrades it (sim-lab.snap,
// and sim-lab.json naming it).
func TestReadOnlyCommandsLeaveAVersion1SimAsItIs(t *testing.T) {
	dir := newDir(t, slowSpec(3, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	data := filepath.Join(dir, ".nova")
	v1, err := sim.ReadSnapshotJSON(data, "lab")
	if err != nil {
		t.Fatal(err)
	}
	legacy, snap, journal := filepath.Join(data, "sim-lab.json"), filepath.Join(data, "sim-lab.snap"), filepath.Join(data, "sim-lab.journal")
	if err := os.Remove(snap); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(legacy, v1, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan", "-detailed-exitcode"}, {"inventory"}, {"drift", "-detailed-exitcode"}, {"apply", "-auto-approve"}} {
		nova(t, dir, args...).Must(t, 0, args[0]+" over a version 1 sim")
		if got := readBytes(t, legacy); !bytes.Equal(got, v1) {
			t.Fatalf("%s rewrote sim-lab.json of version 1:\n%.200s", args[0], got)
		}
		if after, err := os.Stat(legacy); err != nil || !os.SameFile(fi, after) || !after.ModTime().Equal(fi.ModTime()) {
			t.Errorf("%s replaced or touched sim-lab.json (%v)", args[0], err)
		}
		for _, path := range []string{snap, journal} {
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("%s left %s (%v): a command that only reads writes nothing", args[0], filepath.Base(path), err)
			}
		}
	}
	writeSpec(t, dir, slowSpec(4, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of one more VM")
	var p struct{ Version int }
	if err := json.Unmarshal(readBytes(t, legacy), &p); err != nil || p.Version != 2 {
		t.Errorf("sim-lab.json after an apply that changed the cluster: version %d (%v), want 2", p.Version, err)
	}
	if _, err := os.Stat(snap); err != nil {
		t.Errorf("no sim-lab.snap after an apply that changed the cluster: %v", err)
	}
	if n := len(inventory(t, dir).VMs); n != 4 {
		t.Errorf("%d VMs after the upgrade, want 4", n)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the upgrade")
}
