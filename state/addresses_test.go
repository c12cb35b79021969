package state_test

import (
	"slices"
	"testing"

	"github.com/novacron/novacron/state"
)

// TestAddressesSorted checks that Addresses lists every managed address
// once, sorted.
func TestAddressesSorted(t *testing.T) {
	s := state.New("lin")
	for _, i := range []int{3, 10, 1, 2} {
		s.VMs[addr(i)] = testVM(i)
	}
	got := s.Addresses()
	want := []string{addr(1), addr(10), addr(2), addr(3)}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Addresses() = %q, want %q", got, want)
	}
	if len(state.New("lin").Addresses()) != 0 {
		t.Error("Addresses of an empty state is not empty")
	}
}

// BenchmarkAddresses100k sorts the addresses of a 100,000-VM state, as a
// plan's diff does: one allocation of the result (1.6 MB), not the 7 MB
// of growing it.
func BenchmarkAddresses100k(b *testing.B) {
	s := state.New("lin")
	for i := range 100_000 {
		s.VMs[addr(i)] = testVM(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(s.Addresses()); n != 100_000 {
			b.Fatalf("%d addresses", n)
		}
	}
}
