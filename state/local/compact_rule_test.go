package local_test

import (
	"testing"

	"github.com/novacron/novacron/state/local"
)

// The records of a fresh apply (new VMs over an empty state.json) are
// never superseded: WriteDelta does not ask for compaction however large
// the journal grows past state.json, so the apply encodes the whole
// document once, at its end. Records that rewrite the same VMs do ask,
// as soon as the journal holds more records than the document has VMs.
func TestJournalOfNewVMsIsNotCompacted(t *testing.T) {
	s := local.New(t.TempDir())
	st := writeBase(t, s, 0)
	for i := range 200 {
		d := change(st, i)
		d.VMs = len(st.VMs) + 1
		compact, err := s.WriteDelta(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
		if compact {
			t.Fatalf("WriteDelta asked for compaction after %d new VMs over an empty state.json", i+1)
		}
	}
	// One rewrite more, and the journal holds more records than the
	// document has VMs: most of what it adds is superseded.
	d := change(st, 0)
	d.Set["fleet.web[100000]"].CPU = 4
	d.VMs = len(st.VMs)
	compact, err := s.WriteDelta(t.Context(), d)
	if err != nil || !compact {
		t.Errorf("a rewrite after 200 new VMs: compact %v, %v; want true, nil", compact, err)
	}
}

// A journal this store did not write (left by a crash) is weighed by its
// bytes alone.
func TestJournalReadFromDiskAsksForCompaction(t *testing.T) {
	dir := t.TempDir()
	st := writeBase(t, local.New(dir), 0)
	for i := range 5 {
		d := change(st, i)
		d.VMs = len(st.VMs) + 1
		if _, err := local.New(dir).WriteDelta(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
	}
	d := change(st, 5)
	d.VMs = len(st.VMs) + 1
	compact, err := local.New(dir).WriteDelta(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if !compact {
		t.Error("a journal larger than state.json, read from disk: WriteDelta did not ask for compaction")
	}
}
