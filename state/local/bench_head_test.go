package local

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/state"
)

// BenchmarkCheckStored100k is what Write's lineage and serial rule costs
// over a 100,000-VM state file: compare with BenchmarkDecode100k, what a
// whole read of it would cost.
func BenchmarkCheckStored100k(b *testing.B) {
	s := benchStore(b, 100_000)
	next := state.New("bench")
	next.Serial = 2
	for b.Loop() {
		if err := s.checkStored(next, modeWrite); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode100k reads a 100,000-VM state file whole.
func BenchmarkDecode100k(b *testing.B) {
	s := benchStore(b, 100_000)
	for b.Loop() {
		if _, err := s.Read(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchStore(b *testing.B, n int) *Store {
	st := state.New("bench")
	st.Serial = 1
	for i := range n {
		st.VMs[fmt.Sprintf("fleet.web[%d]", i)] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%06d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%06d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
		}
	}
	s := New(b.TempDir())
	if err := s.Write(b.Context(), st); err != nil {
		b.Fatal(err)
	}
	return s
}
