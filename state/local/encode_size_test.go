package local

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
)

// longDoc is a document of n VMs whose lines are longer than Encode's
// default guess of 256 bytes per VM.
func longDoc(n int) *state.State {
	st := state.New("size")
	for i := range n {
		st.VMs[fmt.Sprintf("fleet.web[%d]", i)] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%06d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%06d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
			Tags: map[string]string{"tier": "web"}, SpecHash: strings.Repeat("ab", 64),
		}
	}
	return st
}

// A store encodes a document again into one buffer sized from the last
// encoding, not grown by doubling from a guess.
func TestEncodeSizedFromLast(t *testing.T) {
	st := longDoc(20_000)
	s := New(t.TempDir())
	first, err := s.encode(st)
	if err != nil {
		t.Fatal(err)
	}
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			data, err := s.encode(st)
			if err != nil || string(data) != string(first) {
				b.Fatalf("encode again: %d bytes, %v; want the same %d bytes", len(data), err, len(first))
			}
		}
	})
	// The buffer (1/16 to spare) plus the sorted addresses and
	// validation's bookkeeping, about half the document again; doubling a
	// buffer grown from a short guess allocates some three times it.
	if per, max := res.AllocedBytesPerOp(), int64(len(first))*7/4; per > max {
		t.Errorf("encoding a %d-byte document allocated %d bytes; want at most %d", len(first), per, max)
	}
}

// BenchmarkEncode100k encodes a 100,000-VM document the way an apply's
// state writes do, the store knowing the last size.
func BenchmarkEncode100k(b *testing.B) {
	st := longDoc(100_000)
	s := New(b.TempDir())
	if _, err := s.encode(st); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.encode(st); err != nil {
			b.Fatal(err)
		}
	}
}
