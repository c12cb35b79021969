package state_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// gatedDeltas is a local store whose first WriteDelta waits for a
// release, and which keeps what each delta set and removed.
type gatedDeltas struct {
	*local.Store
	entered, release chan struct{}
	set              []map[string]string // address → VM id
	removed          [][]string
}

func (g *gatedDeltas) WriteDelta(ctx context.Context, d *state.Delta) (bool, error) {
	if len(g.set) == 0 {
		g.entered <- struct{}{}
		<-g.release
	}
	ids := map[string]string{}
	for a, vm := range d.Set {
		ids[a] = vm.ID
	}
	g.set, g.removed = append(g.set, ids), append(g.removed, slices.Clone(d.Removed))
	return g.Store.WriteDelta(ctx, d)
}

// The changes made while a delta is written make the next one: the last
// VM set at each address, and the addresses whose last change removed
// them (set and removed in between too), sorted.
func TestWriterDeltaKeepsLastChange(t *testing.T) {
	dir := t.TempDir()
	store := &gatedDeltas{Store: local.New(dir), entered: make(chan struct{}), release: make(chan struct{})}
	st := state.New("delta")
	st.Serial = 1
	st.VMs[addr(0)], st.VMs[addr(1)] = testVM(0), testVM(1)
	if err := store.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	w := state.NewWriter(store, st)
	w.Set(addr(2), testVM(2))
	<-store.entered // the first delta, of addr(2), is being written
	w.Remove(addr(0))
	w.Set(addr(0), testVM(10)) // removed, then set again: set
	w.Set(addr(3), testVM(3))
	w.Remove(addr(3)) // set, then removed: removed
	w.Set(addr(1), testVM(11))
	w.Set(addr(1), testVM(21)) // the last one
	w.RemoveIf(addr(2), "vm-00002")
	w.RemoveIf(addr(1), "vm-00001") // not the VM recorded there: kept
	close(store.release)
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{{addr(2): "vm-00002"}, {addr(0): "vm-00010", addr(1): "vm-00021"}}
	if diff := cmp.Diff(want, store.set); diff != "" {
		t.Errorf("deltas set (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{nil, {addr(2), addr(3)}}, store.removed); diff != "" {
		t.Errorf("deltas removed (-want +got):\n%s", diff)
	}
	snap := w.Snapshot()
	closeWriter(t, w)
	got, err := local.New(dir).Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(slices.Sorted(maps.Keys(snap.VMs)), slices.Sorted(maps.Keys(got.VMs))); diff != "" {
		t.Errorf("stored addresses differ from the writer's (-writer +stored):\n%s", diff)
	}
	if got.VMs[addr(1)].ID != "vm-00021" || got.VMs[addr(0)].ID != "vm-00010" {
		t.Errorf("stored %s and %s are %s and %s; want vm-00010 and vm-00021", addr(0), addr(1), got.VMs[addr(0)].ID, got.VMs[addr(1)].ID)
	}
}

// TestWriterSetRecordAllocs: a change and its history record cost the
// copy of the VM, and little more (the growth of the live map and of the
// lists of changes and records, spread over many); the tags and
// dependencies of a fleet's VMs are shared, not copied.
func TestWriterSetRecordAllocs(t *testing.T) {
	dir := t.TempDir()
	store := &gatedDeltas{Store: local.New(dir), entered: make(chan struct{}), release: make(chan struct{})}
	st := state.New("allocs")
	st.Serial = 1
	if err := store.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	w := state.NewWriter(store, st)
	w.Set(addr(0), testVM(0))
	<-store.entered // the writer's goroutine waits: what follows is the callers' alone
	const runs = 20_000
	vms, addrs := make([]*state.VM, runs+1), make([]string, runs+1)
	for i := range vms {
		vms[i], addrs[i] = testVM(i+1), addr(i+1)
	}
	rec := state.HistoryRecord{Kind: state.RecordAction, RunID: "r", Action: "create", Outcome: state.OutcomeOK}
	i := 0
	allocs := testing.AllocsPerRun(runs, func() {
		w.Set(addrs[i], vms[i])
		rec.Address = addrs[i]
		w.Record(rec)
		i++
	})
	close(store.release)
	closeWriter(t, w)
	t.Logf("%.2f allocations a Set and Record", allocs)
	if allocs > 1.5 {
		t.Errorf("a Set and a Record allocate %.2f times; want at most 1.5 (the VM's copy, and growth)", allocs)
	}
	got, err := local.New(dir).Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.VMs) != runs+2 || got.VMs[addr(1)].Tags["env"] != "prod" {
		t.Errorf("stored %d VMs (tags of the first %v); want %d, tagged env=prod", len(got.VMs), got.VMs[addr(1)].Tags, runs+2)
	}
}
