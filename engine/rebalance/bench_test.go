package rebalance_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/novacron/novacron/engine/rebalance"
)

// BenchmarkRebalance10k: 10,000 VMs on 500 hosts of 64 cores and 256 GiB
// (20 VMs of 2–4 vCPUs each), one host in ten hot (its VMs busy), the
// default rules and budget (10 %: 1,000 moves). It reports the moves, the
// bound and their ratio besides the time.
func BenchmarkRebalance10k(b *testing.B) {
	for _, mode := range []rebalance.Mode{rebalance.Hot, rebalance.Consolidate} {
		b.Run(string(mode), func(b *testing.B) {
			in := bigInput(mode)
			var r *rebalance.Result
			for b.Loop() {
				var err error
				if r, err = rebalance.Run(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Moves)), "moves")
			b.ReportMetric(float64(r.Bound), "bound")
			if r.Bound > 0 {
				b.ReportMetric(float64(len(r.Moves))/float64(r.Bound), "moves/bound")
			}
		})
	}
}

func bigInput(mode rebalance.Mode) rebalance.Input {
	rng := rand.New(rand.NewSource(10_000))
	in := rebalance.Input{Hosts: hosts(500, 64, 256<<10), Mode: mode, Threshold: rebalance.DefaultThreshold, MinRatio: rebalance.DefaultMinRatio}
	for i, h := range in.Hosts {
		busy := i%10 == 0
		for range 20 {
			cpu := 2 + rng.Intn(3)
			use := 0.1 + 0.4*rng.Float64()
			if busy {
				use = 0.8 + 0.2*rng.Float64()
			}
			in.VMs = append(in.VMs, rebalance.VM{Address: fmt.Sprintf("vm%d", len(in.VMs)), Host: h.Name, CPU: cpu, MemoryMiB: 8 << 10,
				UseCPU: use * float64(cpu), UseMemoryMiB: float64(2+rng.Intn(6)) * 1024})
		}
	}
	in.MaxMoves = rebalance.Budget(len(in.VMs), rebalance.DefaultMovePercent)
	return in
}
