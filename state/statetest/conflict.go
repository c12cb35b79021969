package statetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// writeOK writes st and fails the test on error.
func writeOK(t *testing.T, s state.Store, st *state.State) {
	t.Helper()
	if err := s.Write(t.Context(), st); err != nil {
		t.Fatalf("Write of lineage %q serial %d: %v", st.Lineage, st.Serial, err)
	}
}

// wantStored checks that the store holds want.
func wantStored(t *testing.T, s state.Store, want *state.State, after string) {
	t.Helper()
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatalf("Read after %s: %v", after, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read after %s (-want +got):\n%s", after, diff)
	}
}

// wantConflict checks that Write of st is refused with a ConflictError
// that names both documents, and that nothing was written.
func wantConflict(t *testing.T, s state.Store, stored, st *state.State) {
	t.Helper()
	err := s.Write(t.Context(), st)
	var conflict *state.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Write of lineage %q serial %d over lineage %q serial %d = %v, want a *state.ConflictError",
			st.Lineage, st.Serial, stored.Lineage, stored.Serial, err)
	}
	want := state.ConflictError{StoredLineage: stored.Lineage, StoredSerial: stored.Serial,
		WrittenLineage: st.Lineage, WrittenSerial: st.Serial}
	if diff := cmp.Diff(want, *conflict); diff != "" {
		t.Errorf("ConflictError (-want +got):\n%s", diff)
	}
	wantStored(t, s, stored, "a refused Write")
}

// withLineage returns sampleState(serial, n) under another lineage.
func withLineage(lineage string, serial uint64, n int) *state.State {
	st := sampleState(serial, n)
	st.Lineage = lineage
	return st
}

func testFirstWriteAnyLineage(t *testing.T, newStore newStoreFunc) {
	for _, st := range []*state.State{withLineage("fresh-0", 0, 0), withLineage("fresh-9", 9, 2)} {
		s := newStore(t)
		writeOK(t, s, st)
		wantStored(t, s, st, "the first Write")
	}
}

func testStaleSerialRefused(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	stored := sampleState(5, 3)
	writeOK(t, s, stored)
	wantConflict(t, s, stored, sampleState(4, 2))
	wantConflict(t, s, stored, sampleState(0, 1))
}

func testEqualSerialRefused(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	stored := sampleState(5, 3)
	writeOK(t, s, stored)
	wantConflict(t, s, stored, sampleState(5, 1))
	next := sampleState(6, 1)
	writeOK(t, s, next)
	wantStored(t, s, next, "a Write of the next serial")
}

func testOtherLineageRefused(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	stored := sampleState(5, 3)
	writeOK(t, s, stored)
	wantConflict(t, s, stored, withLineage("lineage-other", 6, 3))
	wantConflict(t, s, stored, withLineage("lineage-other", 50, 0))
}

// testOverwriteBypasses checks that Overwrite replaces any document, of
// any lineage and serial, but still refuses what Validate refuses; and
// that the rule then holds against what it wrote.
func testOverwriteBypasses(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	writeOK(t, s, sampleState(5, 3))
	for _, st := range []*state.State{sampleState(2, 1), withLineage("lineage-other", 2, 2)} {
		if err := s.Overwrite(t.Context(), st); err != nil {
			t.Fatalf("Overwrite with lineage %q serial %d: %v", st.Lineage, st.Serial, err)
		}
		wantStored(t, s, st, "Overwrite")
	}
	stored := withLineage("lineage-other", 2, 2)
	bad := sampleState(9, 1)
	bad.VMs["fleet.web[0]"].Power = "exploded"
	if err := s.Overwrite(t.Context(), bad); err == nil {
		t.Errorf("Overwrite of a document Validate refuses succeeded")
	}
	wantStored(t, s, stored, "a refused Overwrite")
	wantConflict(t, s, stored, sampleState(3, 1))
}
