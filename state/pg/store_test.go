package pg_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/statetest"
)

func TestStore(t *testing.T) {
	statetest.Run(t, func(t *testing.T) state.Store {
		return store(t, newBackend(t), state.DefaultWorkspace)
	})
}

func sample(lineage string, serial uint64, vms int) *state.State {
	st := state.New(lineage)
	st.Serial = serial
	for i := range vms {
		st.VMs[fmt.Sprintf("fleet.web[%d]", i)] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%05d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%05d", i), CPU: 2, MemoryMiB: 4096, DiskGB: 40, Power: "running",
			Tags: map[string]string{"env": "prod"}, DependsOn: []string{"fleet.db"},
		}
	}
	return st
}

// TestWriteRefusesConflicts checks the lineage and serial rule: a stale
// serial or another lineage is a *state.ConflictError and writes nothing;
// Overwrite writes it anyway.
func TestWriteRefusesConflicts(t *testing.T) {
	s := store(t, newBackend(t), state.DefaultWorkspace)
	stored := sample("lin-a", 5, 2)
	if err := s.Write(t.Context(), stored); err != nil {
		t.Fatalf("Write: %v", err)
	}
	for name, st := range map[string]*state.State{
		"same serial":   sample("lin-a", 5, 3),
		"older serial":  sample("lin-a", 4, 3),
		"other lineage": sample("lin-b", 6, 3),
	} {
		err := s.Write(t.Context(), st)
		var conflict *state.ConflictError
		if !errors.As(err, &conflict) {
			t.Errorf("Write of %s = %v, want a *state.ConflictError", name, err)
			continue
		}
		want := state.ConflictError{StoredLineage: "lin-a", StoredSerial: 5, WrittenLineage: st.Lineage, WrittenSerial: st.Serial}
		if diff := cmp.Diff(want, *conflict); diff != "" {
			t.Errorf("ConflictError of %s (-want +got):\n%s", name, diff)
		}
	}
	wantRead(t, s, stored)
	other := sample("lin-b", 1, 1)
	if err := s.Overwrite(t.Context(), other); err != nil {
		t.Fatalf("Overwrite of another lineage at an older serial: %v", err)
	}
	wantRead(t, s, other)
}

func wantRead(t *testing.T, s state.Store, want *state.State) {
	t.Helper()
	got, err := s.Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}
