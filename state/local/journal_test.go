package local_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/statetest"
)

// change returns a delta over st that sets one new VM at fleet.web[ID].
func change(st *state.State, id int) *state.Delta {
	vm := &state.VM{Provider: "sim.lab", ID: fmt.Sprintf("vm-new-%d", id), Fleet: "fleet.web",
		Name: fmt.Sprintf("new-%d", id), CPU: 1, MemoryMiB: 1024, DiskGB: 10, Power: "running"}
	return &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1,
		Set: map[string]*state.VM{fmt.Sprintf("fleet.web[%d]", 100_000+id): vm}}
}

func writeBase(t *testing.T, s *local.Store, n int) *state.State {
	t.Helper()
	st := bigState(n)
	st.Serial = 1
	if err := s.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

func mustRead(t *testing.T, s *local.Store) *state.State {
	t.Helper()
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A change to a 1,000-VM state appends one short line to the journal and
// leaves state.json as it was; a read sees the change; Compact folds it
// into state.json and removes the journal.
func TestJournalWritesOnlyTheChange(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 1000)
	before := readFile(t, filepath.Join(dir, local.StateFile))
	var want = st.Clone()
	for i := range 3 {
		d := change(want, i)
		compact, err := s.WriteDelta(t.Context(), d)
		if err != nil || compact {
			t.Fatalf("WriteDelta %d: compact %v, %v; want false, nil", i, compact, err)
		}
		d.Apply(want)
	}
	d := &state.Delta{Lineage: st.Lineage, Serial: want.Serial + 1, Removed: []string{"fleet.web[7]"}}
	if _, err := s.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(want)
	if after := readFile(t, filepath.Join(dir, local.StateFile)); !bytes.Equal(before, after) {
		t.Error("state.json changed: a change must go to the journal")
	}
	journal := readFile(t, filepath.Join(dir, local.JournalFile))
	if lines := bytes.Count(journal, []byte("\n")); lines != 5 || len(journal) > 1500 {
		t.Errorf("journal of %d lines, %d bytes; want a header and 4 short records:\n%s", lines, len(journal), journal)
	}
	if diff := cmp.Diff(want, mustRead(t, s)); diff != "" {
		t.Errorf("Read with the journal (-want +got):\n%s", diff)
	}
	if err := s.Compact(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, local.JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal is still there after Compact: %v", err)
	}
	enc, _ := state.Encode(want)
	if got := readFile(t, filepath.Join(dir, local.StateFile)); !bytes.Equal(got, enc) {
		t.Error("state.json after Compact is not the document with every change")
	}
	if diff := cmp.Diff(want, mustRead(t, local.New(dir))); diff != "" {
		t.Errorf("Read after Compact (-want +got):\n%s", diff)
	}
}

// The store rule holds for changes: the same lineage, a greater serial;
// a compaction must be of the stored serial; no document, no delta.
func TestJournalRules(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	if _, err := s.WriteDelta(t.Context(), change(state.New("x"), 0)); !errors.Is(err, state.ErrWriteWhole) {
		t.Fatalf("WriteDelta with no document: %v, want ErrWriteWhole", err)
	}
	st := writeBase(t, s, 10)
	if _, err := s.WriteDelta(t.Context(), change(st, 0)); err != nil {
		t.Fatal(err)
	}
	var conflict *state.ConflictError
	for name, d := range map[string]*state.Delta{
		"same serial":   {Lineage: st.Lineage, Serial: 2},
		"other lineage": {Lineage: "other", Serial: 9},
	} {
		if _, err := local.New(dir).WriteDelta(t.Context(), d); !errors.As(err, &conflict) {
			t.Errorf("%s: %v, want a *state.ConflictError", name, err)
		}
	}
	st.Serial = 1 // the stored serial is 2, with the journal
	if err := s.Compact(t.Context(), st); !errors.As(err, &conflict) {
		t.Errorf("Compact of serial 1 over 2: %v, want a *state.ConflictError", err)
	}
	if err := local.New(dir).Write(t.Context(), st); !errors.As(err, &conflict) {
		t.Errorf("Write of serial 1 over a journal at 2: %v, want a *state.ConflictError", err)
	}
	bad := change(st, 1)
	bad.Serial = 3
	bad.Set["fleet.web[100001]"].Power = "on fire"
	if _, err := s.WriteDelta(t.Context(), bad); err == nil || !strings.Contains(err.Error(), "power") {
		t.Errorf("WriteDelta of an invalid record: %v, want it refused naming power", err)
	}
}

// A journal is compacted once it outgrows state.json: WriteDelta says so.
func TestJournalAsksForCompaction(t *testing.T) {
	s := local.New(t.TempDir())
	st := writeBase(t, s, 2)
	for i := range 10 {
		d := change(st, i)
		compact, err := s.WriteDelta(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
		if compact {
			return
		}
	}
	t.Error("10 records over a 2-VM state.json: WriteDelta never asked for compaction")
}

// kill -9 in the middle of an append leaves a torn last record: a read
// skips it, and the next Lock sets it aside, cuts it off, folds the whole
// records into state.json, and says so.
func TestJournalTornTailRepairedOnLock(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 10)
	d := change(st, 0)
	if _, err := s.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(st)
	jpath := filepath.Join(dir, local.JournalFile)
	whole := readFile(t, jpath)
	torn := append(bytes.Clone(whole), `{"serial":3,"set":{"fleet.web[5]":{"provi`...)
	if err := os.WriteFile(jpath, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := local.New(dir)
	if diff := cmp.Diff(st, mustRead(t, fresh)); diff != "" {
		t.Errorf("Read with a torn record (-want +got):\n%s", diff)
	}
	id, err := fresh.Lock(t.Context(), state.LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Unlock(id)
	// The whole records are folded into state.json: the journal is gone.
	if _, err := os.Stat(jpath); !os.IsNotExist(err) {
		t.Errorf("the journal after Lock: %v, want it folded into state.json", err)
	}
	if diff := cmp.Diff(st, mustRead(t, local.New(dir))); diff != "" {
		t.Errorf("Read after Lock folded the journal (-want +got):\n%s", diff)
	}
	notes := strings.Join(fresh.Repairs(), "\n")
	sides, _ := filepath.Glob(jpath + ".torn-*")
	if !strings.Contains(notes, "torn") || !strings.Contains(notes, "Folded") || len(sides) != 1 {
		t.Errorf("repairs %q, side files %v: want the torn record reported and set aside, and the journal folded", notes, sides)
	}
	d = change(st, 1)
	if _, err := fresh.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(st)
	if diff := cmp.Diff(st, mustRead(t, local.New(dir))); diff != "" {
		t.Errorf("Read after a record appended to the repaired journal (-want +got):\n%s", diff)
	}
}

// A write of the whole document that dies between the rename of
// state.json and the removal of the journal leaves a journal of the old
// state.json: it is never applied to the new one (even one of the same
// lineage and serial, as `state push -force` may write), and Lock removes it.
func TestStaleJournalIsNotApplied(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 10)
	if _, err := s.WriteDelta(t.Context(), change(st, 0)); err != nil {
		t.Fatal(err)
	}
	jpath := filepath.Join(dir, local.JournalFile)
	journal := readFile(t, jpath)
	pushed := bigState(3)
	pushed.Serial = 1 // the journal's record (serial 2) is newer than the pushed document
	if err := s.Overwrite(t.Context(), pushed); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jpath, journal, 0o600); err != nil { // the crash: the journal stayed
		t.Fatal(err)
	}
	// The journal's change is newer than the pushed state.json: nothing
	// tells a crashed push from a state.json an older release rewrote, so
	// the journal is kept and the read refused until the user chooses.
	fresh := local.New(dir)
	if _, err := fresh.Read(t.Context()); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Read with a newer journal beside the pushed state: %v; want a refusal", err)
	}
	if !bytes.Equal(readFile(t, jpath), journal) {
		t.Fatal("the journal was changed")
	}
	if err := os.Rename(jpath, jpath+".moved"); err != nil { // the user drops it
		t.Fatal(err)
	}
	if diff := cmp.Diff(pushed, mustRead(t, fresh)); diff != "" {
		t.Errorf("Read after the journal was moved away (-want +got):\n%s", diff)
	}

	// A journal whose every change is in state.json already (a write
	// crashed after the compaction, before removing it) is stale: never
	// applied, and removed by Lock.
	compacted := mustRead(t, fresh)
	d := change(compacted, 1)
	if _, err := fresh.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	journal = readFile(t, jpath)
	d.Apply(compacted)
	if err := fresh.Compact(t.Context(), compacted); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jpath, journal, 0o600); err != nil { // the crash: the journal stayed
		t.Fatal(err)
	}
	again := local.New(dir)
	if diff := cmp.Diff(compacted, mustRead(t, again)); diff != "" {
		t.Errorf("Read after the interrupted compaction (-want +got):\n%s", diff)
	}
	id, err := again.Lock(t.Context(), state.LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Unlock(id)
	if _, err := os.Stat(jpath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale journal is still there after Lock (%v); repairs: %q", err, again.Repairs())
	}
}

// With a sealer every record is sealed as the document is: no VM of the
// journal is on disk in plaintext, and without the key it cannot be read.
func TestJournalSealed(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir, local.WithSealer(xorSealer{key: 0x5a}))
	st := writeBase(t, s, 3)
	d := change(st, 0)
	if _, err := s.WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(st)
	journal := readFile(t, filepath.Join(dir, local.JournalFile))
	lines := strings.Split(strings.TrimSuffix(string(journal), "\n"), "\n")
	for _, l := range lines[1:] {
		if !state.IsSealed([]byte(l)) {
			t.Errorf("a journal record is not sealed: %s", l)
		}
	}
	for _, plain := range []string{"vm-new-0", "new-0", "fleet.web", "sim.lab", st.Lineage} {
		if bytes.Contains(journal, []byte(plain)) {
			t.Errorf("the journal holds %q in plaintext:\n%s", plain, journal)
		}
	}
	if diff := cmp.Diff(st, mustRead(t, s)); diff != "" {
		t.Errorf("Read of the sealed journal (-want +got):\n%s", diff)
	}
	if _, err := local.New(dir).Read(context.Background()); !errors.Is(err, state.ErrNoKey) {
		t.Errorf("Read without the key: %v, want ErrNoKey", err)
	}
}

// A record damaged in the middle (not a torn tail) is an error naming the
// journal and the line; nothing is written over it.
func TestJournalDamagedRecordIsAnError(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	st := writeBase(t, s, 3)
	for i := range 2 {
		d := change(st, i)
		if _, err := s.WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
	}
	jpath := filepath.Join(dir, local.JournalFile)
	data := readFile(t, jpath)
	damaged := bytes.Replace(data, []byte(`"serial":2`), []byte(`"serial":"2"`), 1)
	if err := os.WriteFile(jpath, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := local.New(dir).Read(t.Context())
	if err == nil || !strings.Contains(err.Error(), jpath) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("Read of a damaged record: %v, want an error naming %s, line 2", err, jpath)
	}
	if _, err := local.New(dir).WriteDelta(t.Context(), change(st, 9)); err == nil {
		t.Error("WriteDelta over a damaged journal succeeded")
	}
	if got := readFile(t, jpath); !bytes.Equal(got, damaged) {
		t.Error("the damaged journal was changed")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDeltaConformance(t *testing.T) {
	statetest.RunDelta(t, func(t *testing.T) state.DeltaStore { return local.New(t.TempDir()) })
}

func TestDeltaConformanceSealed(t *testing.T) {
	statetest.RunDelta(t, func(t *testing.T) state.DeltaStore {
		return local.New(t.TempDir(), local.WithSealer(xorSealer{0x5a}))
	})
}

// Encryption turned on over a plaintext state.json: the first change is
// not journaled beside it (ErrWriteWhole), so the writer's whole write
// encrypts the state, as before the journal.
func TestJournalNotBesidePlaintextUnderAKey(t *testing.T) {
	dir := t.TempDir()
	st := writeBase(t, local.New(dir), 3)
	s := local.New(dir, local.WithSealer(xorSealer{key: 0x5a}))
	if _, err := s.WriteDelta(t.Context(), change(st, 0)); !errors.Is(err, state.ErrWriteWhole) {
		t.Fatalf("WriteDelta over a plaintext state.json with a key: %v, want state.ErrWriteWhole", err)
	}
	if _, err := os.Stat(filepath.Join(dir, local.JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a journal was written beside the plaintext state.json: %v", err)
	}
	w := state.NewWriter(s, st)
	w.Set("fleet.web[100000]", change(st, 0).Set["fleet.web[100000]"])
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !state.IsSealed(readFile(t, filepath.Join(dir, local.StateFile))) {
		t.Error("state.json is still plaintext after the writer's first persist under a key")
	}
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// The same with state/encryption's AES-256-GCM Sealer: each record is one
// envelope on one line, no VM word is on disk, another key is refused.
func TestJournalEncrypted(t *testing.T) {
	key := bytes.Repeat([]byte{7}, encryption.KeySize)
	sealer, err := encryption.NewWithKey(key, encryption.EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := local.New(dir, local.WithSealer(sealer))
	st := writeBase(t, s, 3)
	for i := range 3 {
		d := change(st, i)
		if _, err := s.WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
	}
	journal := readFile(t, filepath.Join(dir, local.JournalFile))
	lines := strings.Split(strings.TrimSuffix(string(journal), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("journal of %d lines, want a header and 3 records:\n%s", len(lines), journal)
	}
	for _, l := range lines[1:] {
		if !state.IsSealed([]byte(l)) {
			t.Errorf("a record is not sealed: %.100s", l)
		}
	}
	for _, plain := range []string{"vm-new-", "fleet.web", "sim.lab", "running", st.Lineage} {
		if bytes.Contains(journal, []byte(plain)) {
			t.Errorf("the journal holds %q in plaintext", plain)
		}
	}
	if diff := cmp.Diff(st, mustRead(t, s)); diff != "" {
		t.Errorf("Read of the encrypted journal (-want +got):\n%s", diff)
	}
	other, err := encryption.NewWithKey(bytes.Repeat([]byte{8}, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.New(dir, local.WithSealer(other)).Read(t.Context()); err == nil || !strings.Contains(err.Error(), "another key") {
		t.Errorf("Read with another key: %v, want it refused naming another key", err)
	}
}

// A journal whose records are newer than state.json but do not follow it
// (state.json replaced after they were written: an older NovaCron that
// does not read the journal rewrote it, or a copy was restored) is never
// removed as stale: every read and Lock refuse, naming both files, until
// the user chooses.
func TestNewerJournalBesideAReplacedStateIsKept(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, dir string, s *local.Store, st *state.State)
	}{
		{"state.json rewritten by an older release", func(t *testing.T, dir string, s *local.Store, st *state.State) {
			old := st.Clone()
			delete(old.VMs, "fleet.web[0]")
			raw, err := state.Encode(old)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, local.StateFile), raw, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"header damaged", func(t *testing.T, dir string, s *local.Store, st *state.State) {
			jpath := filepath.Join(dir, local.JournalFile)
			j := readFile(t, jpath)
			j[2] = '#'
			if err := os.WriteFile(jpath, j, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := local.New(dir)
			st := writeBase(t, s, 10)
			base := st.Clone()
			for i := range 3 {
				d := change(st, i)
				if _, err := s.WriteDelta(t.Context(), d); err != nil {
					t.Fatal(err)
				}
				d.Apply(st)
			}
			tc.spoil(t, dir, s, base)
			jpath := filepath.Join(dir, local.JournalFile)
			before := readFile(t, jpath)
			fresh := local.New(dir)
			if _, err := fresh.Read(t.Context()); err == nil || !strings.Contains(err.Error(), local.JournalFile) || !strings.Contains(err.Error(), "newer") {
				t.Errorf("Read: %v; want an error naming the journal and saying its changes are newer", err)
			}
			if id, err := fresh.Lock(t.Context(), state.LockInfo{Operation: "apply"}); err == nil {
				fresh.Unlock(id)
			}
			for _, r := range fresh.Repairs() {
				if strings.Contains(r, "Removed") {
					t.Errorf("Lock reported %q", r)
				}
			}
			if after := readFile(t, jpath); !bytes.Equal(before, after) {
				t.Errorf("the journal was changed or removed (%d bytes, was %d)", len(after), len(before))
			}
		})
	}
}
