package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// savedFiles is a copy of some files of a workspace's .nova folder, to put
// back as an apply killed before its save leaves them.
type savedFiles map[string][]byte

// saveFiles copies the files of dir/.nova whose names keep says to keep.
func saveFiles(t *testing.T, dir string, keep func(name string) bool) savedFiles {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, ".nova"))
	if err != nil {
		t.Fatal(err)
	}
	out := savedFiles{}
	for _, e := range entries {
		if !e.IsDir() && keep(e.Name()) {
			out[e.Name()] = readFile(t, filepath.Join(dir, ".nova", e.Name()))
		}
	}
	return out
}

// restore writes the saved files back.
func (s savedFiles) restore(t *testing.T, dir string) {
	t.Helper()
	for name, b := range s {
		if err := os.WriteFile(filepath.Join(dir, ".nova", name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBurstComeHomeInterrupted: an apply that brings a burst VM home makes
// the home VM first; killed before it saves the state, it leaves the home
// VM carrying the marker and the burst VM in state. The next plan completes
// the move (adopt at home, delete on the cloud) instead of keeping both.
func TestBurstComeHomeInterrupted(t *testing.T) {
	dir := newDir(t, burstFleets(false, ""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply bursting web[1]")
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0", "-target", "fleet.filler").Must(t, 0, "apply freeing room")
	saved := saveFiles(t, dir, func(name string) bool {
		return name == "state.json" || strings.HasPrefix(name, "sim-cloud.")
	})
	if len(saved) < 2 {
		t.Fatalf("saved %d files of .nova, want the state and the cloud sim's", len(saved))
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply bringing web[1] home")
	saved.restore(t, dir) // as a kill after the home create, before the save
	sameChanges(t, "after the lost save", burstChanges(costPlanJSON(t, dir, "-var", "filler=0")), []burstChange{
		{"fleet.web[1]", "delete", "sim.cloud"}, {"fleet.web[1]", "adopt", "sim.onprem"},
	})
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply completing the move")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "filler=0").Must(t, 0, "plan after completing the move")
	inv := nova(t, dir, "inventory", "-no-color").Must(t, 0, "inventory").Stdout
	var named []string
	for _, line := range strings.Split(inv, "\n") {
		if strings.Contains(line, " web-1 ") {
			named = append(named, strings.Join(strings.Fields(line), " "))
		}
	}
	if len(named) != 1 || !strings.HasPrefix(named[0], "sim.onprem ") || !strings.HasSuffix(named[0], " fleet.web[1]") {
		t.Fatalf("want one web-1, on sim.onprem, managed as fleet.web[1]; inventory:\n%s", inv)
	}
}
