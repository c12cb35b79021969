package state_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

const benchVMs = 10_000

// countingStore counts the writes (whole or changed records) reaching a
// real store.
type countingStore struct {
	*local.Store
	writes atomic.Int64
}

func (c *countingStore) Write(ctx context.Context, s *state.State) error {
	c.writes.Add(1)
	return c.Store.Write(ctx, s)
}

func (c *countingStore) WriteDelta(ctx context.Context, d *state.Delta) (bool, error) {
	c.writes.Add(1)
	return c.Store.WriteDelta(ctx, d)
}

// benchWriter returns a writer over a local store holding 10,000 VMs.
func benchWriter(b *testing.B) (*state.Writer, *countingStore) {
	store := &countingStore{Store: local.New(b.TempDir())}
	st := state.New("bench")
	for i := range benchVMs {
		st.VMs[addr(i)] = testVM(i)
	}
	if err := store.Write(b.Context(), st); err != nil {
		b.Fatal(err)
	}
	store.writes.Store(0)
	return state.NewWriter(store, st), store
}

// BenchmarkWriter10k: one op is 10,000 Sets (and as many Records) from 8
// goroutines over a 10,000-VM state, then a Flush to the local store.
func BenchmarkWriter10k(b *testing.B) {
	const workers = 8
	w, store := benchWriter(b)
	for b.Loop() {
		var wg sync.WaitGroup
		for g := range workers {
			wg.Go(func() {
				for i := g; i < benchVMs; i += workers {
					vm := testVM(i)
					vm.Power = "off"
					w.Set(addr(i), vm)
					w.Record(state.HistoryRecord{Kind: "action", Address: addr(i), Outcome: "ok"})
				}
			})
		}
		wg.Wait()
		if err := w.Flush(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(store.writes.Load())/float64(b.N), "writes/op")
	if err := w.Close(b.Context()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWriterSet measures one Set (copying the VM included) while the
// writer keeps persisting a 10,000-VM state in the background.
func BenchmarkWriterSet(b *testing.B) {
	w, store := benchWriter(b)
	addrs, vms := make([]string, benchVMs), make([]*state.VM, benchVMs)
	for i := range benchVMs {
		addrs[i], vms[i] = addr(i), testVM(i)
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1)) % benchVMs
			w.Set(addrs[i], vms[i])
		}
	})
	b.StopTimer()
	if err := w.Close(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(store.writes.Load()), "writes")
}
