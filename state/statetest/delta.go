package statetest

import (
	"errors"
	"testing"

	"github.com/novacron/novacron/state"
)

// RunDelta runs the conformance suite of state.DeltaStore against the
// stores newStore returns, each over a fresh, empty workspace: a change
// is read back with the document it follows, the lineage and serial rules
// hold for changes and compactions, and a whole write supersedes the
// changes before it. Run covers the rest of the Store contract.
func RunDelta(t *testing.T, newStore func(t *testing.T) state.DeltaStore) {
	t.Helper()
	tests := []struct {
		name string
		test func(*testing.T, state.DeltaStore)
	}{
		{"NoDocument", testDeltaNoDocument},
		{"ReadSeesChanges", testDeltaReadSeesChanges},
		{"Rules", testDeltaRules},
		{"CompactKeepsTheDocument", testDeltaCompact},
		{"WriteSupersedes", testDeltaWriteSupersedes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newStore(t)) })
	}
}

// nextDelta returns the change that makes from into to (to.Serial is its
// serial), and to.
func nextDelta(from, to *state.State) *state.Delta {
	d := &state.Delta{Lineage: to.Lineage, Serial: to.Serial, Set: map[string]*state.VM{}}
	for addr, vm := range to.VMs {
		d.Set[addr] = vm
	}
	for addr := range from.VMs {
		if _, ok := to.VMs[addr]; !ok {
			d.Removed = append(d.Removed, addr)
		}
	}
	return d
}

func deltaOK(t *testing.T, s state.DeltaStore, d *state.Delta) {
	t.Helper()
	if _, err := s.WriteDelta(t.Context(), d); err != nil {
		t.Fatalf("WriteDelta of serial %d: %v", d.Serial, err)
	}
}

func testDeltaNoDocument(t *testing.T, s state.DeltaStore) {
	if _, err := s.WriteDelta(t.Context(), nextDelta(state.New("l"), sampleState(1, 1))); !errors.Is(err, state.ErrWriteWhole) {
		t.Fatalf("WriteDelta with no document stored: %v, want state.ErrWriteWhole", err)
	}
	got, err := s.Read(t.Context())
	if err != nil || got != nil {
		t.Errorf("Read after a refused WriteDelta: %v, %v; want nothing stored", got, err)
	}
}

func testDeltaReadSeesChanges(t *testing.T, s state.DeltaStore) {
	one := sampleState(1, 3)
	writeOK(t, s, one)
	two := sampleState(2, 5) // every VM changed (CPU is the serial), two added
	deltaOK(t, s, nextDelta(one, two))
	wantStored(t, s, two, "a change adding VMs")
	three := sampleState(3, 2) // three removed
	deltaOK(t, s, nextDelta(two, three))
	wantStored(t, s, three, "a change removing VMs")
	four := three.Clone()
	four.Serial = 4
	four.Abandoned = []state.Ref{{Provider: "sim.lab", ID: "vm-gone"}}
	deltaOK(t, s, &state.Delta{Lineage: four.Lineage, Serial: 4, Abandoned: four.Abandoned, AbandonedChanged: true})
	wantStored(t, s, four, "a change of the abandoned VMs")
}

func testDeltaRules(t *testing.T, s state.DeltaStore) {
	one := sampleState(1, 2)
	writeOK(t, s, one)
	two := sampleState(2, 2)
	deltaOK(t, s, nextDelta(one, two))
	for name, d := range map[string]*state.Delta{
		"an equal serial":  nextDelta(one, sampleState(2, 3)),
		"an older serial":  nextDelta(one, sampleState(1, 3)),
		"another lineage":  {Lineage: "other", Serial: 9},
		"an invalid power": {Lineage: one.Lineage, Serial: 3, Set: map[string]*state.VM{"fleet.web[0]": {Provider: "sim.lab", ID: "x", Fleet: "fleet.web", Name: "x", Power: "melted"}}},
	} {
		_, err := s.WriteDelta(t.Context(), d)
		var conflict *state.ConflictError
		switch {
		case err == nil:
			t.Errorf("WriteDelta of %s was accepted", name)
		case name != "an invalid power" && !errors.As(err, &conflict):
			t.Errorf("WriteDelta of %s: %v, want a *state.ConflictError", name, err)
		}
	}
	wantStored(t, s, two, "refused changes")
	wantConflict(t, s, two, sampleState(2, 1)) // Write follows the changes' serial
}

func testDeltaCompact(t *testing.T, s state.DeltaStore) {
	one := sampleState(1, 2)
	writeOK(t, s, one)
	two := sampleState(2, 4)
	deltaOK(t, s, nextDelta(one, two))
	var conflict *state.ConflictError
	if err := s.Compact(t.Context(), one); !errors.As(err, &conflict) {
		t.Errorf("Compact of serial 1 over serial 2: %v, want a *state.ConflictError", err)
	}
	if err := s.Compact(t.Context(), two); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	wantStored(t, s, two, "Compact")
	three := sampleState(3, 1)
	deltaOK(t, s, nextDelta(two, three))
	wantStored(t, s, three, "a change after Compact")
}

func testDeltaWriteSupersedes(t *testing.T, s state.DeltaStore) {
	one := sampleState(1, 2)
	writeOK(t, s, one)
	deltaOK(t, s, nextDelta(one, sampleState(2, 3)))
	three := sampleState(3, 1)
	writeOK(t, s, three)
	wantStored(t, s, three, "a whole write after changes")
	pushed := sampleState(1, 2) // the serial of the document the changes followed
	if err := s.Overwrite(t.Context(), pushed); err != nil {
		t.Fatal(err)
	}
	wantStored(t, s, pushed, "Overwrite after changes")
}
