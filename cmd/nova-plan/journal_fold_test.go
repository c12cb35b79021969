package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// leftJournal makes the state folder of dir what a fresh apply killed
// before its final compaction leaves: a state.json of no VMs and a journal
// that records every VM the apply made. It returns the number of VMs.
func leftJournal(t *testing.T, dir string) int {
	t.Helper()
	s := local.New(filepath.Join(dir, ".nova"))
	st, err := s.Read(t.Context())
	if err != nil || st == nil || len(st.VMs) == 0 {
		t.Fatalf("reading the applied state: %v", err)
	}
	empty := state.New(st.Lineage)
	empty.Serial = st.Serial
	if err := s.Overwrite(t.Context(), empty); err != nil {
		t.Fatal(err)
	}
	for i, addr := range st.Addresses() {
		d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + uint64(i) + 1, Set: map[string]*state.VM{addr: st.VMs[addr]}}
		if _, err := s.WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
	}
	if n := stateFileVMs(t, dir); n != 0 {
		t.Fatalf("state.json holds %d VMs before the test, want 0", n)
	}
	return len(st.VMs)
}

// stateFileVMs returns the number of VMs .nova/state.json itself holds.
func stateFileVMs(t *testing.T, dir string) int {
	t.Helper()
	var doc struct{ VMs map[string]json.RawMessage }
	if err := json.Unmarshal(readBytes(t, filepath.Join(dir, ".nova", local.StateFile)), &doc); err != nil {
		t.Fatal(err)
	}
	return len(doc.VMs)
}

// A journal left by a killed apply is folded into state.json by the next
// command that holds the lock, even an apply with no changes: state.json
// then holds every VM, the journal is gone, and the next plan has nothing
// to do.
func TestLeftoverJournalIsFoldedByANoChangeApply(t *testing.T) {
	dir := newDir(t, slowSpec(12, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	n := leftJournal(t, dir)
	r := nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply with no changes")
	if !strings.Contains(r.Stdout, "No changes") || !strings.Contains(r.Stdout+r.Stderr, "Folded the changes of .nova/state.journal") {
		t.Errorf("the apply after the leftover journal has changes or does not say it folded the journal:\n%s%s", r.Stdout, r.Stderr)
	}
	if got := stateFileVMs(t, dir); got != n {
		t.Errorf("state.json holds %d VMs after the apply, want %d", got, n)
	}
	if _, err := os.Stat(filepath.Join(dir, ".nova", local.JournalFile)); !os.IsNotExist(err) {
		t.Errorf("the journal is still there after the apply: %v", err)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the fold: no changes")
}
