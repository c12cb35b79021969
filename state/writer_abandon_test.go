package state_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// Recording a VM at an address takes it off the abandoned list: an import
// can take back what `state rm` abandoned.
func TestWriterSetTakesBackAnAbandonedVM(t *testing.T) {
	st := state.New("lin")
	st.Abandoned = []state.Ref{{Provider: "sim.a", ID: "vm-1"}, {Provider: "sim.a", ID: "vm-2"}}
	w := state.NewWriter(local.New(t.TempDir()), st)
	w.Set("vm.x", &state.VM{Provider: "sim.a", ID: "vm-2", Fleet: "vm.x"})
	if err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []state.Ref{{Provider: "sim.a", ID: "vm-1"}}
	if diff := cmp.Diff(want, w.Snapshot().Abandoned); diff != "" {
		t.Errorf("abandoned (-want +got):\n%s", diff)
	}
}
