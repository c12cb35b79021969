package pg_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/statetest"
)

// TestBackend runs the conformance suites (statetest.RunBackend, and
// statetest.Run through it) against the real server, each backend in a
// schema of its own.
func TestBackend(t *testing.T) {
	statetest.RunBackend(t, func(t *testing.T) state.Backend { return newBackend(t) })
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
