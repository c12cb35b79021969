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

// BenchmarkReadJournal100k reads a 100,000-VM state file with a journal of
// 20 change records of 500 VMs each (what a killed apply leaves): compare
// with BenchmarkDecode100k, the state file alone.
func BenchmarkReadJournal100k(b *testing.B) {
	s := benchStore(b, 100_000)
	serial := uint64(1)
	for r := range 20 {
		serial++
		d := &state.Delta{Lineage: "bench", Serial: serial, Set: map[string]*state.VM{}}
		for i := range 500 {
			n := r*500 + i
			d.Set[fmt.Sprintf("fleet.web[%d]", n)] = &state.VM{
				Provider: "sim.lab", ID: fmt.Sprintf("vm-%06d", n), Fleet: "fleet.web",
				Name: fmt.Sprintf("web-%06d", n), CPU: 4, MemoryMiB: 4096, DiskGB: 40, Power: "running",
			}
		}
		if _, err := s.WriteDelta(b.Context(), d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Read(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
