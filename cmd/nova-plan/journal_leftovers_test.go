package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state/local"
)

// A journal with no state.json beside it is set aside, and said so
// truthfully: not "already in state.json" (there is none).
func TestOrphanJournalIsSetAside(t *testing.T) {
	dir := newDir(t, slowSpec(3, "0s"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	jpath := journalRecords(t, dir, 2, "", 0)
	journal := readBytes(t, jpath)
	if err := os.Remove(filepath.Join(dir, ".nova", local.StateFile)); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "plan")
	out := r.Stdout + r.Stderr
	if !strings.Contains(out, "Set .nova/state.journal aside as .nova/state.journal.orphan-") ||
		!strings.Contains(out, "there is no .nova/state.json") || strings.Contains(out, "were already in") {
		t.Errorf("plan with a journal and no state.json (exit %d):\n%s", r.Code, out)
	}
	sides, _ := filepath.Glob(jpath + ".orphan-*")
	if len(sides) != 1 || !bytes.Equal(readBytes(t, sides[0]), journal) {
		t.Fatalf("side files %v: want one, holding the journal", sides)
	}
	if _, err := os.Stat(jpath); !os.IsNotExist(err) {
		t.Errorf("the journal is still in place: %v", err)
	}
}

// state migrate copies the journaled state, and its clean-up advice names
// the journal among the files to delete from .nova.
func TestStateMigrateWithAJournal(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply into .nova")
	journalRecords(t, dir, 3, "", 0)
	old := nova(t, dir, "state", "pull").Must(t, 0, "state pull of .nova").Stdout
	to := "-backend-config=path=new-state"
	r := nova(t, dir, "state", "migrate", "-from=local", to).Must(t, 0, "state migrate")
	if !strings.Contains(r.Stdout, "state.journal") {
		t.Errorf("state migrate's clean-up advice does not name state.journal:\n%s", r.Stdout)
	}
	if pulled := nova(t, dir, "state", "pull", to).Must(t, 0, "state pull").Stdout; !strings.Contains(old, `"serial": `) || pulled != old {
		t.Errorf("the migrated state is not the journaled one:\n%s\nwant:\n%s", pulled, old)
	}
}
