package local_test

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// newVMs returns a delta over st that sets n new VMs, from number first.
func newVMs(st *state.State, first, n int) *state.Delta {
	d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: map[string]*state.VM{}}
	for i := first; i < first+n; i++ {
		d.Set[fmt.Sprintf("fleet.web[%d]", i)] = &state.VM{Provider: "sim.lab", ID: fmt.Sprintf("vm-%06d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%d", i), CPU: 1, MemoryMiB: 1024, DiskGB: 10, Power: "running", Tags: map[string]string{"tier": "app"}}
	}
	d.VMs = len(st.VMs) + n
	return d
}

// The records of a fresh apply (new VMs over an empty state.json) are
// never superseded: past a small size WriteDelta does not ask for
// compaction however large the journal grows past state.json, so the apply
// encodes the whole document once, at its end. Records that rewrite the
// same VMs do ask, as soon as the journal holds more records than the
// document has VMs.
func TestJournalOfNewVMsIsNotCompacted(t *testing.T) {
	s := local.New(t.TempDir())
	st := writeBase(t, s, 0)
	for i := range 4 {
		d := newVMs(st, 10_000*i, 10_000)
		compact, err := s.WriteDelta(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
		if compact {
			t.Fatalf("WriteDelta asked for compaction after %d new VMs over an empty state.json", 10_000*(i+1))
		}
	}
	// Rewrite them all, and one more: most of the journal is superseded.
	d := newVMs(st, 0, 40_000)
	d.Set["fleet.web[0]"].CPU = 4
	d.VMs = len(st.VMs)
	compact, err := s.WriteDelta(t.Context(), d)
	if err != nil || !compact {
		t.Errorf("a rewrite of every VM: compact %v, %v; want true, nil", compact, err)
	}
}

// A small state's journal is compacted as soon as it outgrows state.json,
// whatever it holds (a compaction costs little).
func TestSmallJournalOfNewVMsIsCompacted(t *testing.T) {
	s := local.New(t.TempDir())
	st := writeBase(t, s, 0)
	for i := range 10 {
		d := newVMs(st, i, 1)
		compact, err := s.WriteDelta(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		d.Apply(st)
		if compact {
			return
		}
	}
	t.Error("10 new VMs over an empty state.json: WriteDelta never asked for compaction")
}

// A journal this store did not write (left by a crash) is weighed by its
// bytes alone.
func TestJournalReadFromDiskAsksForCompaction(t *testing.T) {
	dir := t.TempDir()
	st := writeBase(t, local.New(dir), 0)
	d := newVMs(st, 0, 5000)
	if _, err := local.New(dir).WriteDelta(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Apply(st)
	compact, err := local.New(dir).WriteDelta(t.Context(), newVMs(st, 5000, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !compact {
		t.Error("a journal larger than state.json, read from disk: WriteDelta did not ask for compaction")
	}
}
