package state_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

func testVM(i int) *state.VM {
	return &state.VM{
		Provider: "sim.lab", ID: fmt.Sprintf("vm-%05d", i), Fleet: "fleet.web",
		Name: fmt.Sprintf("web-%05d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
		Tags: map[string]string{"env": "prod"}, DependsOn: []string{"fleet.db"},
	}
}

func addr(i int) string { return fmt.Sprintf("fleet.web[%d]", i) }

func closeWriter(t *testing.T, w *state.Writer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// Many goroutines record at once; after Close the store holds all of it.
func TestWriterConcurrentSets(t *testing.T) {
	const workers, perWorker = 20, 100
	store := local.New(t.TempDir())
	initial := state.New("lin")
	initial.Serial = 5
	initial.VMs["vm.gone"] = testVM(-1)
	initial.VMs["vm.gone"].Fleet = "vm.gone"
	w := state.NewWriter(store, initial)
	w.Record(state.HistoryRecord{Kind: "start", RunID: "r"})
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range perWorker {
				n := g*perWorker + i
				w.Set(addr(n), testVM(n))
				w.Record(state.HistoryRecord{Kind: "action", RunID: "r", Address: addr(n), Action: "create", Outcome: "ok"})
			}
		})
	}
	w.Remove("vm.gone")
	w.Abandon(state.Ref{Provider: "sim.lab", ID: "vm--0001"})
	wg.Wait()
	w.Record(state.HistoryRecord{Kind: "end", RunID: "r", Outcome: "ok"})
	closeWriter(t, w)

	got, err := store.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := state.New("lin")
	for n := range workers * perWorker {
		want.VMs[addr(n)] = testVM(n)
	}
	want.Abandoned = []state.Ref{{Provider: "sim.lab", ID: "vm--0001"}}
	want.Serial = got.Serial
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored state (-want +got):\n%s", diff)
	}
	if got.Serial <= 5 {
		t.Errorf("serial %d did not grow from 5", got.Serial)
	}
	if snap := w.Snapshot(); snap.Serial != got.Serial {
		t.Errorf("Snapshot serial %d, stored serial %d", snap.Serial, got.Serial)
	}
	checkHistoryOrder(t, store, workers, perWorker)
}

// checkHistoryOrder checks start comes first, end last, and each worker's
// records in the order it recorded them.
func checkHistoryOrder(t *testing.T, store state.Store, workers, perWorker int) {
	t.Helper()
	hist, err := store.History(t.Context())
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if len(hist) != workers*perWorker+2 {
		t.Fatalf("History has %d records, want %d", len(hist), workers*perWorker+2)
	}
	if hist[0].Kind != "start" || hist[len(hist)-1].Kind != "end" {
		t.Errorf("History runs from %q to %q, want start to end", hist[0].Kind, hist[len(hist)-1].Kind)
	}
	next := make([]int, workers) // next index expected from each worker
	for _, r := range hist[1 : len(hist)-1] {
		var n int
		fmt.Sscanf(r.Address, "fleet.web[%d]", &n)
		g, i := n/perWorker, n%perWorker
		if i != next[g] {
			t.Fatalf("History has %s where worker %d's record %d was due", r.Address, g, next[g])
		}
		next[g]++
	}
}

// While a Write is in flight, changes accumulate and go out together in
// the next one; never two Writes at once.
func TestWriterCoalesces(t *testing.T) {
	store := newGatedStore()
	w := state.NewWriter(store, state.New("lin"))
	w.Set("a", testVM(1))
	store.waitEntered(t, 1)
	rec := state.HistoryRecord{Kind: "action", Address: "b"}
	for i := range 100 {
		w.Set(addr(i), testVM(i))
	}
	w.Record(rec)
	w.Remove("a")
	store.release <- struct{}{}
	store.waitEntered(t, 2)
	store.release <- struct{}{}
	closeWriter(t, w)

	doc, hist, writes := store.saved()
	if writes != 2 {
		t.Errorf("%d Writes, want 2 (the first, then all the rest together)", writes)
	}
	if diff := cmp.Diff(w.Snapshot(), doc); diff != "" {
		t.Errorf("stored state differs from the writer's (-writer +stored):\n%s", diff)
	}
	if diff := cmp.Diff([]state.HistoryRecord{rec}, hist); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if store.maxInFlight != 1 {
		t.Errorf("%d Writes were in flight at once, want 1", store.maxInFlight)
	}
}

// RemoveIf forgets an address only while it still records that VM id.
func TestWriterRemoveIf(t *testing.T) {
	store := local.New(t.TempDir())
	initial := state.New("lin")
	initial.VMs[addr(1)] = testVM(1)
	initial.VMs[addr(2)] = testVM(2)
	w := state.NewWriter(store, initial)
	w.RemoveIf(addr(1), "vm-99999") // a duplicate's id: the record stays
	w.RemoveIf(addr(2), testVM(2).ID)
	closeWriter(t, w)
	got, err := store.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{addr(1)}, got.Addresses()); diff != "" {
		t.Errorf("addresses after RemoveIf (-want +got):\n%s", diff)
	}
}
