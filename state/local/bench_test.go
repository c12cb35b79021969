package local_test

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/local"
)

func bigState(n int) *state.State {
	st := state.New("bench")
	for i := range n {
		st.VMs[fmt.Sprintf("fleet.web[%d]", i)] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%05d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%05d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
			Tags: map[string]string{"env": "prod"}, DependsOn: []string{"fleet.db"},
		}
	}
	return st
}

// BenchmarkWrite10k writes a 10,000-VM document (encode, check of the
// stored lineage and serial, fsync, rename), each with the next serial.
func BenchmarkWrite10k(b *testing.B) {
	s, st := local.New(b.TempDir()), bigState(10_000)
	for b.Loop() {
		st.Serial++
		if err := s.Write(b.Context(), st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverwrite10k is BenchmarkWrite10k without the check: the
// difference is what the lineage and serial rule costs.
func BenchmarkOverwrite10k(b *testing.B) {
	s, st := local.New(b.TempDir()), bigState(10_000)
	for b.Loop() {
		st.Serial++
		if err := s.Overwrite(b.Context(), st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead10k reads a 10,000-VM document back.
func BenchmarkRead10k(b *testing.B) {
	s := local.New(b.TempDir())
	if err := s.Write(b.Context(), bigState(10_000)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Read(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite10kSealed is BenchmarkWrite10k with the document sealed
// under a key (state/encryption): the cost encryption adds to each of an
// apply's writes (the check of the stored document included: it is
// opened whole).
func BenchmarkWrite10kSealed(b *testing.B) {
	s, st := local.New(b.TempDir(), local.WithSealer(benchSealer(b))), bigState(10_000)
	for b.Loop() {
		st.Serial++
		if err := s.Write(b.Context(), st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead10kSealed is BenchmarkRead10k of a sealed document.
func BenchmarkRead10kSealed(b *testing.B) {
	s := local.New(b.TempDir(), local.WithSealer(benchSealer(b)))
	if err := s.Write(b.Context(), bigState(10_000)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Read(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSealer(b *testing.B) *encryption.Sealer {
	s, err := encryption.NewWithKey(make([]byte, encryption.KeySize), encryption.EnvKey)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
