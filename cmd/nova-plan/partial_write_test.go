package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A crash or a full disk tears the last line of the history. Appending
// after it used to continue the torn line, and every later read failed.
// Now the next command that takes the lock sets the torn bytes aside, says
// so, and the history stays readable.
func TestTornHistoryIsSetAside(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	history := filepath.Join(dir, ".nova", "history.jsonl")
	const torn = `{"kind":"action","time":"2026-12-05T22:06:31Z","run_id":"c3fa`
	appendTo(t, history, torn)
	r := nova(t, dir, "plan").Must(t, 0, "plan")
	for _, want := range []string{"Warning: Repaired the state folder", "history.jsonl was torn", "history.jsonl.torn-"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("plan: stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	sides, _ := filepath.Glob(history + ".torn-*")
	if len(sides) != 1 {
		t.Fatalf("side files %v, want one", sides)
	}
	if got, _ := os.ReadFile(sides[0]); string(got) != torn {
		t.Errorf("%s holds %q, want the torn bytes", sides[0], got)
	}
	more := defaultSpec()
	more.webCount = 4
	applySpec(t, dir, more)
	wantHistoryReadable(t, history)
	if r := nova(t, dir, "plan"); strings.Contains(r.Stderr, "Repaired") {
		t.Errorf("a second repair was reported:\n%s", r.Stderr)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// wantHistoryReadable checks every line of the history is a JSON record
// and that the last is the end of a run.
func wantHistoryReadable(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var rec struct{ Kind string }
	for i, line := range lines {
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%s:%d is not a record (%v): %s", path, i+1, err, line)
		}
	}
	if rec.Kind != "end" {
		t.Errorf("the last record is %q, want the end of the apply", rec.Kind)
	}
}

// `kill -9` during a state write leaves its temporary file behind; they
// used to pile up. The next command that takes the lock removes them, and
// only them.
func TestKilledWritesTempFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	data := filepath.Join(dir, ".nova")
	state, _ := os.ReadFile(filepath.Join(data, "state.json"))
	left := filepath.Join(data, "state.json.tmp-1267526339")
	mine := filepath.Join(data, "state.json.tmp-notes")
	for _, p := range []string{left, mine} {
		if err := os.WriteFile(p, state[:len(state)/2], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	nova(t, dir, "inventory").Must(t, 0, "inventory") // takes no lock: removes nothing
	if _, err := os.Stat(left); err != nil {
		t.Fatalf("inventory, which does not lock, removed %s: %v", left, err)
	}
	r := nova(t, dir, "plan").Must(t, 0, "plan")
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("%s is still there after plan (Stat: %v)", left, err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("%s, not a name the state writer makes, was removed: %v", mine, err)
	}
	if !strings.Contains(r.Stderr, "state.json.tmp-1267526339") {
		t.Errorf("plan does not say what it removed:\n%s", r.Stderr)
	}
}
