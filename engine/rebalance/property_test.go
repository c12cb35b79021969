package rebalance_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/rebalance"
)

// randomInput is a cluster of 2–8 hosts whose VMs fit their allocations,
// with random use, pins and spread groups.
func randomInput(rng *rand.Rand, mode rebalance.Mode) rebalance.Input {
	hs := hosts(2+rng.Intn(7), 16+16*rng.Intn(2), 65536)
	in := rebalance.Input{Hosts: hs, Mode: mode, Threshold: 40 + float64(rng.Intn(41)), MinRatio: 0.5}
	for _, h := range hs {
		cpu, mib, groups := 0, int64(0), map[string]bool{}
		for range rng.Intn(12) {
			v := rebalance.VM{Address: fmt.Sprintf("vm%d", len(in.VMs)), Host: h.Name, CPU: 1 + rng.Intn(4), MemoryMiB: int64(1+rng.Intn(8)) * 1024}
			if cpu+v.CPU > h.CPU || mib+v.MemoryMiB > h.MemoryMiB {
				continue
			}
			cpu, mib = cpu+v.CPU, mib+v.MemoryMiB
			v.UseCPU = (0.3 + 0.7*rng.Float64()) * float64(v.CPU)
			v.UseMemoryMiB = rng.Float64() * float64(v.MemoryMiB)
			v.Pinned = rng.Intn(5) == 0
			if g := fmt.Sprintf("fleet.g%d", rng.Intn(3)); rng.Intn(3) == 0 && !groups[g] {
				v.Spread, groups[g] = g, true
			}
			in.VMs = append(in.VMs, v)
		}
	}
	in.MaxMoves = rebalance.Budget(len(in.VMs), 10+float64(rng.Intn(40)))
	return in
}

func TestRunProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(18))
	moved := map[rebalance.Mode]int{}
	for i := range 3000 {
		mode := rebalance.Hot
		if i%2 == 1 {
			mode = rebalance.Consolidate
		}
		in := randomInput(rng, mode)
		r, err := rebalance.Run(in)
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, i, in, r)
		if len(r.Moves) > 0 {
			moved[mode]++
		}
	}
	// The instances must exercise both modes, or the checks prove nothing.
	if moved[rebalance.Hot] < 100 || moved[rebalance.Consolidate] < 100 {
		t.Fatalf("too few instances with moves: %v", moved)
	}
	t.Logf("instances with moves: %v", moved)
}

type hostSum struct {
	cpu, mib       int64
	useCPU, useMiB float64
	groups         map[string]int
}

func checkResult(t *testing.T, i int, in rebalance.Input, r *rebalance.Result) {
	t.Helper()
	at := map[string]string{}
	pins := map[string]bool{}
	for _, v := range in.VMs {
		at[v.Address], pins[v.Address] = v.Host, v.Pinned
	}
	targets := map[string]bool{}
	for _, m := range r.Moves {
		if pins[m.Address] {
			t.Fatalf("case %d: pinned VM %s moved", i, m.Address)
		}
		if m.Gain/m.Disruption < in.MinRatio {
			t.Fatalf("case %d: move %+v below the ratio", i, m)
		}
		at[m.Address], targets[m.To] = m.To, true
	}
	if len(r.Moves) > in.MaxMoves {
		t.Fatalf("case %d: %d moves over the budget %d", i, len(r.Moves), in.MaxMoves)
	}
	if float64(len(r.Moves)) > 1.2*float64(r.Bound) {
		t.Fatalf("case %d: %d moves, bound %d", i, len(r.Moves), r.Bound)
	}
	sums := sumHosts(in, at)
	for _, h := range in.Hosts {
		s := sums[h.Name]
		if !targets[h.Name] {
			continue
		}
		if s.cpu > int64(h.CPU) || s.mib > h.MemoryMiB {
			t.Fatalf("case %d: target %s over capacity: %d cpu, %d MiB", i, h.Name, s.cpu, s.mib)
		}
		if 100*s.useCPU/float64(h.CPU) > in.Threshold+1e-6 || 100*s.useMiB/float64(h.MemoryMiB) > in.Threshold+1e-6 {
			t.Fatalf("case %d: target %s made hot", i, h.Name)
		}
		for g, n := range s.groups {
			if n > 1 {
				t.Fatalf("case %d: target %s holds %d VMs of %s", i, h.Name, n, g)
			}
		}
	}
	checkCleared(t, i, in, r, sums)
}

// checkCleared: every hot host not skipped is no longer hot; every
// emptied host holds nothing.
func checkCleared(t *testing.T, i int, in rebalance.Input, r *rebalance.Result, sums map[string]*hostSum) {
	t.Helper()
	skipped := map[string]bool{}
	for _, s := range r.Skipped {
		skipped[s.Host] = true
	}
	caps := map[string]driver.Host{}
	for _, h := range in.Hosts {
		caps[h.Name] = h
	}
	for _, l := range r.Hot {
		s, h := sums[l.Host], caps[l.Host]
		if !skipped[l.Host] && (100*s.useCPU/float64(h.CPU) > in.Threshold+1e-6 || 100*s.useMiB/float64(h.MemoryMiB) > in.Threshold+1e-6) {
			t.Fatalf("case %d: hot host %s neither cleared nor skipped", i, l.Host)
		}
	}
	for _, h := range r.Emptied {
		if s := sums[h]; s != nil && s.cpu > 0 {
			t.Fatalf("case %d: emptied host %s still holds VMs", i, h)
		}
	}
}

func sumHosts(in rebalance.Input, at map[string]string) map[string]*hostSum {
	sums := map[string]*hostSum{}
	for _, h := range in.Hosts {
		sums[h.Name] = &hostSum{groups: map[string]int{}}
	}
	for _, v := range in.VMs {
		s := sums[at[v.Address]]
		s.cpu, s.mib = s.cpu+int64(v.CPU), s.mib+v.MemoryMiB
		s.useCPU, s.useMiB = s.useCPU+v.UseCPU, s.useMiB+v.UseMemoryMiB
		if v.Spread != "" {
			s.groups[v.Spread]++
		}
	}
	return sums
}
