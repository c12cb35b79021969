package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// TestVersion1SimMoveAnnounced: the command that moves a version 1
// simulator to the compact snapshot (the first apply that changes it, or
// the first command that opens it after an older release's interrupted
// apply left a journal beside it) says so on stderr, once: the commands after
// it, and those that move nothing, say nothing of it.
func TestVersion1SimMoveAnnounced(t *testing.T) {
	const note = "Moved the simulated cluster sim.lab to the compact format"
	count := func(r result) int { return strings.Count(r.Stderr, note) }
	for _, tt := range []struct {
		fixture string
		quiet   [][]string // commands before the move, which say nothing
		moving  []string
	}{
		{"fba7ae1-base", [][]string{{"plan"}, {"inventory"}}, []string{"apply", "-auto-approve", "-var", "web_count=4"}},
		// The journal an older apply left is replayed by every command
		// that opens the cluster, inventory too: the first one moves it.
		{"fba7ae1-journal", nil, []string{"inventory"}},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			dir := upgradeFixture(t, tt.fixture)
			for _, cmd := range tt.quiet {
				if r := nova(t, dir, cmd...).Must(t, 0, cmd[0]); count(r) != 0 {
					t.Errorf("%s, which moves nothing, announced a move:\n%s", cmd[0], r.Stderr)
				}
			}
			r := nova(t, dir, tt.moving...).Must(t, 0, tt.moving[0])
			if count(r) != 1 || !strings.Contains(r.Stderr, "sim-lab.snap") || !strings.Contains(r.Stderr, "sim-lab.json") {
				t.Errorf("%s moved the cluster and said so %d times, want once naming sim-lab.json and sim-lab.snap:\n%s", tt.moving[0], count(r), r.Stderr)
			}
			if strings.Contains(r.Stdout, note) {
				t.Errorf("%s announced the move on stdout:\n%s", tt.moving[0], r.Stdout)
			}
			var p struct{ Version int }
			if err := json.Unmarshal(readBytes(t, filepath.Join(dir, ".nova", "sim-lab.json")), &p); err != nil || p.Version != 2 {
				t.Fatalf("sim-lab.json after %s: version %d (%v), want 2", tt.moving[0], p.Version, err)
			}
			for _, cmd := range [][]string{{"apply", "-auto-approve", "-var", "web_count=5"}, {"plan"}} {
				if r := nova(t, dir, cmd...).Must(t, 0, cmd[0]); count(r) != 0 {
					t.Errorf("%s after the move announced it again:\n%s", cmd[0], r.Stderr)
				}
			}
		})
	}
}
