package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stateJournalRecords counts the whole change records of .nova/state.journal
// (its lines after the header); -1 when there is no journal.
func stateJournalRecords(dir string) int {
	data, err := os.ReadFile(filepath.Join(dir, ".nova", "state.journal"))
	if err != nil {
		return -1
	}
	return bytes.Count(data, []byte("\n")) - 1
}

// An apply killed with -9 while it journals its changes, its last record
// torn as a kill in the middle of an append leaves it: the state is
// state.json with the whole records, the next command cuts the torn record
// off and says so, and the next apply converges, leaving state.json whole
// and no journal.
func TestKillNineWithAJournal(t *testing.T) {
	const first, n = 300, 400
	dir := newDir(t, slowSpec(first, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "first apply")
	if recs := stateJournalRecords(dir); recs != -1 {
		t.Fatalf("a journal of %d records is left after a finished apply: want it compacted away", recs)
	}
	// 100 more VMs journal less than the 300 in state.json: no compaction
	// before the end of the apply.
	writeSpec(t, dir, slowSpec(n, "100ms"))
	cmd, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	waitFor(t, "the apply to journal some changes", 20*time.Second, func() bool { return stateJournalRecords(dir) >= 3 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	recs := stateJournalRecords(dir)
	if recs < 3 {
		t.Fatalf("after the kill the journal holds %d records, want 3 or more", recs)
	}
	jpath := filepath.Join(dir, ".nova", "state.journal")
	f, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"serial":999999,"set":{"fleet.app[399]":{"provider":"sim.la`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	inState := len(strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout))
	if inState <= first || inState >= n {
		t.Fatalf("state list after the kill: %d VMs, want more than %d (journaled) and fewer than %d", inState, first, n)
	}
	r := nova(t, dir, "plan")
	if out := r.Stdout + r.Stderr; !strings.Contains(out, "state.journal was torn") || !strings.Contains(out, "state.journal.torn-") {
		t.Errorf("plan after a torn record does not report its repair:\n%s", out)
	}
	if sides, _ := filepath.Glob(jpath + ".torn-*"); len(sides) != 1 {
		t.Errorf("side files of the torn record: %v, want one", sides)
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply after kill -9")
	if recs := stateJournalRecords(dir); recs != -1 {
		t.Errorf("a journal of %d records is left after the apply that converged", recs)
	}
	if got := len(strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout)); got != n {
		t.Errorf("state list after converging: %d VMs, want %d", got, n)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after converging")
}
