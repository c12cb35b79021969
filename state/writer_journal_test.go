package state_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// wholeStore is a local store seen only as a state.Store: the Writer
// writes the whole document, as before the journal.
type wholeStore struct{ state.Store }

// Over a DeltaStore the writer persists the changed records alone while it
// runs (state.json stays as it was), with the serials a writer of whole
// documents would give, and Close compacts: state.json is then the whole
// document and the journal is gone.
func TestWriterJournalsAndCompactsOnClose(t *testing.T) {
	dir := t.TempDir()
	store := local.New(dir)
	st := state.New("journal")
	for i := range 1000 {
		st.VMs[addr(i)] = testVM(i)
	}
	st.Serial = 1
	if err := store.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(dir, local.StateFile))
	w := state.NewWriter(store, st.Clone())
	want := st.Clone()
	for i := range 5 {
		vm := testVM(2000 + i)
		w.Set(addr(2000+i), vm)
		want.VMs[addr(2000+i)] = vm
		w.Remove(addr(i))
		delete(want.VMs, addr(i))
		if err := w.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want.Serial = w.Snapshot().Serial
	if got := readFile(t, filepath.Join(dir, local.StateFile)); !bytes.Equal(got, before) {
		t.Error("state.json was rewritten during the run: the changes belong in the journal")
	}
	journal := readFile(t, filepath.Join(dir, local.JournalFile))
	if len(journal) > len(before)/10 {
		t.Errorf("a journal of %d bytes for 10 changes to a %d-byte state", len(journal), len(before))
	}
	// Each flush writes what came since the last; when the writer's
	// goroutine wakes decides whether a Set and its Remove share a write.
	if want.Serial < 6 || want.Serial > 11 {
		t.Errorf("serial %d after 5 flushes of 2 changes each over serial 1, want 6 to 11", want.Serial)
	}
	if diff := cmp.Diff(want, mustRead(t, local.New(dir))); diff != "" {
		t.Errorf("Read during the run (-want +got):\n%s", diff)
	}
	closeWriter(t, w)
	if _, err := os.Stat(filepath.Join(dir, local.JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal is still there after Close: %v", err)
	}
	enc, _ := state.Encode(want)
	if got := readFile(t, filepath.Join(dir, local.StateFile)); !bytes.Equal(got, enc) {
		t.Errorf("state.json after Close is not the whole document at serial %d", want.Serial)
	}
}

// The same changes give the same documents and serials through a store
// that keeps a journal as through one that writes whole documents.
func TestWriterJournalSameAsWhole(t *testing.T) {
	run := func(store state.Store) *state.State {
		st := state.New("same")
		st.Serial = 1
		if err := store.Write(t.Context(), st); err != nil {
			t.Fatal(err)
		}
		w := state.NewWriter(store, st)
		for i := range 50 {
			w.Set(addr(i), testVM(i))
			if i%7 == 0 {
				w.Remove(addr(i / 2))
				w.Abandon(state.Ref{Provider: "sim.lab", ID: "gone-" + strconv.Itoa(i)})
				if err := w.Flush(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
		}
		closeWriter(t, w)
		got, err := store.Read(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	journaled := run(local.New(t.TempDir()))
	whole := run(wholeStore{local.New(t.TempDir())})
	// How many writes the changes between two flushes take depends on when
	// the writer's goroutine wakes, so the serials may differ; each of the
	// 8 flushes of changes writes at least once.
	for name, st := range map[string]*state.State{"journaled": journaled, "whole": whole} {
		if st.Serial < 1+8 {
			t.Errorf("%s writer: serial %d, want at least 9 (one write per flush)", name, st.Serial)
		}
	}
	if diff := cmp.Diff(whole, journaled, cmpopts.IgnoreFields(state.State{}, "Serial")); diff != "" {
		t.Errorf("journaled writer vs whole-document writer (-whole +journaled):\n%s", diff)
	}
}

// A compaction that fails at Close (here another writer replaced the
// document behind the writer's back) is Close's error: the apply then
// saves its recovery file.
func TestWriterCompactionErrorIsClosesError(t *testing.T) {
	dir := t.TempDir()
	store := local.New(dir)
	st := state.New("cc")
	for i := range 100 { // a document larger than the change: no compaction before Close
		st.VMs[addr(i)] = testVM(i)
	}
	st.Serial = 1
	if err := store.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	w := state.NewWriter(store, st.Clone())
	w.Set(addr(1000), testVM(1000))
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	other := st.Clone()
	other.Serial = 100
	if err := local.New(dir).Write(t.Context(), other); err != nil {
		t.Fatal(err)
	}
	err := w.Close(t.Context())
	var conflict *state.ConflictError
	if !errors.As(err, &conflict) || !strings.Contains(err.Error(), "compacting state") {
		t.Errorf("Close with a failing compaction: %v, want the compaction's *state.ConflictError", err)
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

func mustRead(t *testing.T, s state.Store) *state.State {
	t.Helper()
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return got
}
