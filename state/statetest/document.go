package statetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func testReadEmpty(t *testing.T, newStore newStoreFunc) {
	got, err := newStore(t).Read(t.Context())
	if err != nil || got != nil {
		t.Fatalf("Read of an empty workspace = (%v, %v), want (nil, nil)", got, err)
	}
}

func testRoundTrip(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	want := sampleState(7, 3)
	want.Abandoned = []state.Ref{{Provider: "sim.lab", ID: "vm-old"}}
	if err := s.Write(t.Context(), want); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read after Write (-want +got):\n%s", diff)
	}
}

func testLaterWriteWins(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	for _, st := range []*state.State{sampleState(1, 4), sampleState(2, 1)} {
		if err := s.Write(t.Context(), st); err != nil {
			t.Fatalf("Write serial %d: %v", st.Serial, err)
		}
	}
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(sampleState(2, 1), got); diff != "" {
		t.Errorf("Read after two writes (-want +got):\n%s", diff)
	}
}

// testReadersRaceWriter has readers decode the document while a writer
// replaces it: every read must be one whole document, and serials never go
// back. Writes start once every reader has read once.
func testReadersRaceWriter(t *testing.T, newStore newStoreFunc) {
	const vms, writes, readers = 200, 30, 4
	s := newStore(t)
	if err := s.Write(t.Context(), sampleState(1, vms)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	done := make(chan struct{})
	var ready, wg sync.WaitGroup
	ready.Add(readers)
	for range readers {
		wg.Go(func() { readUntil(t, s, &ready, done, vms) })
	}
	ready.Wait()
	for serial := uint64(2); serial <= writes; serial++ {
		if err := s.Write(t.Context(), sampleState(serial, vms)); err != nil {
			t.Errorf("Write serial %d: %v", serial, err)
			break
		}
	}
	close(done)
	wg.Wait()
}

func readUntil(t *testing.T, s state.Store, ready *sync.WaitGroup, done <-chan struct{}, vms int) {
	var last uint64
	for first := true; ; first = false {
		got, err := s.Read(t.Context())
		if first {
			ready.Done()
		}
		if err != nil {
			t.Errorf("Read during writes: %v", err)
			return
		}
		if msg := checkWhole(got, vms, last); msg != "" {
			t.Error(msg)
			return
		}
		last = got.Serial
		select {
		case <-done:
			return
		default:
		}
	}
}

// checkWhole returns what is wrong with a document read during writes.
func checkWhole(got *state.State, vms int, last uint64) string {
	switch {
	case got == nil:
		return "Read during writes returned no document"
	case got.Serial < last:
		return fmt.Sprintf("Read during writes went back from serial %d to %d", last, got.Serial)
	case len(got.VMs) != vms:
		return fmt.Sprintf("Read during writes returned %d VMs, want %d", len(got.VMs), vms)
	}
	for addr, vm := range got.VMs {
		if uint64(vm.CPU) != got.Serial {
			return fmt.Sprintf("Read during writes mixed documents: %s has CPU %d in the document of serial %d",
				addr, vm.CPU, got.Serial)
		}
	}
	return ""
}

// testWriteRefusesInvalid checks that a document state.Validate refuses is
// not written: what the store holds stays as it was, so a bug upstream
// cannot leave behind a document the next Read must refuse.
func testWriteRefusesInvalid(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	want := sampleState(3, 2)
	if err := s.Write(t.Context(), want); err != nil {
		t.Fatalf("Write: %v", err)
	}
	for name, spoil := range invalidDocuments() {
		bad := sampleState(4, 2)
		spoil(bad)
		err := s.Write(t.Context(), bad)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Write of a document with a bad %s = %v, want an error naming it", name, err)
		}
	}
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read after refused writes (-want +got):\n%s", diff)
	}
}

// invalidDocuments spoils a sample document in ways state.Validate
// refuses, by the field the error must name.
func invalidDocuments() map[string]func(*state.State) {
	return map[string]func(*state.State){
		"lineage": func(s *state.State) { s.Lineage = "" },
		`vms["fleet.web[0]"] and vms["fleet.web[7]"]`: func(s *state.State) {
			s.VMs["fleet.web[7]"] = s.VMs["fleet.web[0]"].Clone()
		},
		`vms["web-0"]`:              func(s *state.State) { s.VMs["web-0"] = s.VMs["fleet.web[0]"]; delete(s.VMs, "fleet.web[0]") },
		`vms["fleet.web[1]"].power`: func(s *state.State) { s.VMs["fleet.web[1]"].Power = "exploded" },
		`vms["fleet.web[0]"].id`:    func(s *state.State) { s.VMs["fleet.web[0]"].ID = " " + s.VMs["fleet.web[0]"].ID },
		`vms["fleet.web[1]"].name`:  func(s *state.State) { s.VMs["fleet.web[1]"].Name = "web\x1b[2J" },
		"abandoned[0] and abandoned[1]": func(s *state.State) {
			s.Abandoned = []state.Ref{{Provider: "sim.lab", ID: "vm-x"}, {Provider: "sim.lab", ID: "vm-x"}}
		},
	}
}
