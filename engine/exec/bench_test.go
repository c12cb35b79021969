package exec_test

import (
	"context"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// BenchmarkApply10kCreates times one apply of 10,000 creates through the
// sim at zero latency with 100 workers, recording state through the real
// writer over the local store until it is closed (everything persisted).
// µs/VM is the engine's overhead per VM: executor, sim journal and state.
//
//	go test -run '^$' -bench Apply10k -benchtime 5x ./engine/exec/
func BenchmarkApply10kCreates(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	changes := creates("sim.a", "fleet.web", n)
	for b.Loop() {
		b.StopTimer()
		d := openSim(b, "a", nil)
		store := local.New(b.TempDir())
		w := state.NewWriter(store, state.New(lineage))
		events := 0
		ex := &exec.Executor{
			Drivers: map[string]driver.Driver{"sim.a": d}, Recorder: w,
			Events:  func(exec.Event) { events++ },
			Options: exec.Options{Parallelism: 100, RunID: "bench"},
		}
		p, g := graph(b, nil, changes...)
		b.StartTimer()

		res := ex.Apply(ctx, nil, p, g)
		err := w.Close(ctx)

		b.StopTimer()
		if err != nil || !res.OK() {
			b.Fatalf("apply: OK %v, %d failed, close: %v", res.OK(), res.Count(exec.Failed), err)
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/VM")
}
