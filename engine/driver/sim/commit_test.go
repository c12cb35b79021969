package sim

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// Concurrent creates share journal writes: each returns once its line is
// written, and every VM a Create reported is there after a crash.
func TestConcurrentCreatesShareWrites(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, crashConfig)
	const workers, each = 16, 50
	ids := createConcurrently(t, d, workers, each)
	if len(ids) != workers*each {
		t.Fatalf("%d creates succeeded, want %d", len(ids), workers*each)
	}
	d.mu.Lock()
	writes := d.g.writes
	d.mu.Unlock()
	if writes > workers*each {
		t.Errorf("%d journal writes for %d creates", writes, workers*each)
	}
	t.Logf("%d creates in %d journal writes", workers*each, writes)
	crash(t, d)
	d = open(t, dir, crashConfig)
	if diff := cmp.Diff(ids, inventoryIDs(t, d)); diff != "" {
		t.Errorf("VMs after a crash and replay (-reported +listed):\n%s", diff)
	}
}

// A journal write that fails undoes every mutation not written, whichever
// caller wrote the group: none of them is reported, listed or snapshotted.
func TestFailedGroupWriteUndoesUnwrittenMutations(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, crashConfig)
	kept := createConcurrently(t, d, 4, 5)
	d.journal.Close() // every later write fails, as on a full disk
	if got := createConcurrently(t, d, 8, 3); len(got) != 0 {
		t.Errorf("%d creates succeeded after the journal broke", len(got))
	}
	if diff := cmp.Diff(kept, inventoryIDs(t, d)); diff != "" {
		t.Errorf("VMs after failed creates (-want +got):\n%s", diff)
	}
	d.mu.Lock()
	lastID := d.c.lastID
	d.mu.Unlock()
	if lastID != int64(len(kept)) {
		t.Errorf("last ID %d after failed creates, want %d: the failed ones are undone", lastID, len(kept))
	}
	d.Close() // reports the closed journal; the snapshot must still be written
	d = open(t, dir, crashConfig)
	if diff := cmp.Diff(kept, inventoryIDs(t, d)); diff != "" {
		t.Errorf("VMs after reopen (-want +got):\n%s", diff)
	}
}

// createConcurrently creates workers×each VMs from workers goroutines and
// returns the IDs of those whose Create succeeded, sorted.
func createConcurrently(t testing.TB, d *Driver, workers, each int) []string {
	t.Helper()
	var mu sync.Mutex
	var ids []string
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				vm, err := d.Create(context.Background(), spec(fmt.Sprintf("g%d-%d", g, i), ""))
				if err != nil {
					continue
				}
				mu.Lock()
				ids = append(ids, vm.ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(ids, compareIDs)
	return ids
}

func inventoryIDs(t testing.TB, d *Driver) []string {
	t.Helper()
	got := ids(mustInventory(t, d))
	slices.SortFunc(got, compareIDs)
	return got
}

// BenchmarkCreateParallel is the apply's load on the sim: 100 goroutines
// creating VMs with the same tags. writes/op is journal writes per create.
func BenchmarkCreateParallel(b *testing.B) {
	d := open(b, b.TempDir(), driver.Config{"hosts": int64(1000), "host_cpu": int64(256), "host_memory_gb": float64(1024)})
	b.ReportAllocs()
	b.SetParallelism(50) // 100 goroutines on 2 cores
	b.RunParallel(func(pb *testing.PB) {
		s := spec("bench", "")
		s.Tags = map[string]string{"tier": "app"}
		for pb.Next() {
			if _, err := d.Create(context.Background(), s); err != nil {
				b.Error(err)
				return
			}
		}
	})
	d.mu.Lock()
	b.ReportMetric(float64(d.g.writes)/float64(b.N), "writes/op")
	d.mu.Unlock()
}

// createAllocs bounds the allocations of one Create (6 when it was set,
// down from 17, issue 15): the record with its marker, its ID, and the VM
// returned (its tag map, its marker with its address). The journal line,
// the queue and the undo list reuse the buffers of the last group.
const createAllocs = 7

// A Create allocates no more than createAllocs, the apply's 100,000
// creates leaving the GC that little to do.
func TestCreateAllocations(t *testing.T) {
	d := open(t, t.TempDir(), driver.Config{"hosts": int64(1000), "host_cpu": int64(256), "host_memory_gb": float64(1024)})
	s := spec("alloc", "")
	s.Tags = map[string]string{"tier": "app"}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(2000, func() {
		if _, err := d.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > createAllocs {
		t.Errorf("a Create allocates %v times, want at most %d", allocs, createAllocs)
	}
	t.Logf("%v allocations per Create", allocs)
}
