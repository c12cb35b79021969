package state_test

import (
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// BenchmarkWriterParallel100k is the writer's share of an apply creating
// 100,000 VMs with -parallelism=100: 100 workers each check Err, Set a VM
// and Record its history record, as the executor does for every change,
// into a fresh local store; then Close. mutex-wait-ms is the time
// goroutines spent waiting for mutexes (runtime/metrics), cpu-ms the
// process's CPU time.
func BenchmarkWriterParallel100k(b *testing.B) {
	const n, workers = 100_000, 100
	vms, addrs := make([]*state.VM, n), make([]string, n)
	for i := range vms {
		vms[i], addrs[i] = testVM(i), "fleet.web["+strconv.Itoa(i)+"]"
	}
	at := time.Now().UTC()
	b.ReportAllocs()
	var wait, cpu float64
	for b.Loop() {
		b.StopTimer()
		store := local.New(b.TempDir())
		st := state.New("bench")
		st.Serial = 1
		if err := store.Write(b.Context(), st); err != nil {
			b.Fatal(err)
		}
		w0, c0 := mutexWait(), cpuTime()
		b.StartTimer()
		w := state.NewWriter(store, st)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
					if w.Err() != nil {
						return
					}
					w.Set(addrs[i], vms[i])
					w.Record(state.HistoryRecord{Kind: state.RecordAction, Time: at, RunID: "run",
						Address: addrs[i], Action: "create", Outcome: state.OutcomeOK})
				}
			})
		}
		wg.Wait()
		if err := w.Close(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		wait += (mutexWait() - w0).Seconds() * 1e3
		cpu += float64(cpuTime()-c0) / 1e6
		b.StartTimer()
	}
	b.ReportMetric(wait/float64(b.N), "mutex-wait-ms/op")
	b.ReportMetric(cpu/float64(b.N), "cpu-ms/op")
}

// mutexWait returns the time goroutines have spent waiting for a
// sync.Mutex or RWMutex.
func mutexWait() time.Duration {
	s := []metrics.Sample{{Name: "/sync/mutex/wait/total:seconds"}}
	metrics.Read(s)
	return time.Duration(s[0].Value.Float64() * float64(time.Second))
}
