package statetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
)

// newStoreFunc returns a store over a fresh, empty workspace; every call gets
// its own workspace.
type newStoreFunc func(t *testing.T) state.Store

// Run runs the conformance suite against the stores newStore returns.
func Run(t *testing.T, newStore func(t *testing.T) state.Store) {
	t.Helper()
	tests := []struct {
		name string
		test func(*testing.T, newStoreFunc)
	}{
		{"ReadEmpty", testReadEmpty},
		{"RoundTrip", testRoundTrip},
		{"LaterWriteWins", testLaterWriteWins},
		{"ReadersRaceWriter", testReadersRaceWriter},
		{"WriteRefusesInvalid", testWriteRefusesInvalid},
		{"FirstWriteAnyLineage", testFirstWriteAnyLineage},
		{"StaleSerialRefused", testStaleSerialRefused},
		{"EqualSerialRefused", testEqualSerialRefused},
		{"OtherLineageRefused", testOtherLineageRefused},
		{"OverwriteBypasses", testOverwriteBypasses},
		{"LockExclusive", testLockExclusive},
		{"LockAfterUnlock", testLockAfterUnlock},
		{"UnlockWrongID", testUnlockWrongID},
		{"ForceUnlock", testForceUnlock},
		{"HistoryOrder", testHistoryOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newStore) })
	}
}

// shortWait bounds a Lock that is expected to find the lock held.
const shortWait = 300 * time.Millisecond

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// sampleState returns a document with n VMs whose CPU equals serial, so a
// reader can tell a whole document from a mix of two.
func sampleState(serial uint64, n int) *state.State {
	s := state.New("lineage-1234")
	s.Serial = serial
	for i := range n {
		addr := fmt.Sprintf("fleet.web[%d]", i)
		s.VMs[addr] = &state.VM{
			Provider: "sim.lab", ID: fmt.Sprintf("vm-%04d", i), Fleet: "fleet.web",
			Name: fmt.Sprintf("web-%02d", i), Host: "host-1", CPU: int(serial),
			MemoryMiB: 4096, DiskGB: 40, Power: "running", Template: "tpl-ubuntu",
			Tags:     map[string]string{"env": "prod", "index": fmt.Sprint(i)},
			SpecHash: "sha256:abcd", DependsOn: []string{"fleet.db"},
		}
	}
	return s
}
