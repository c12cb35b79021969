package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func TestMemRecorder(t *testing.T) {
	st := state.New("lineage")
	st.VMs["fleet.web[0]"] = &state.VM{ID: "vm-1", Name: "web-0"}
	st.VMs["fleet.web[1]"] = &state.VM{ID: "vm-2", Name: "web-1"}
	r := newMemRecorder(st)
	r.Set("fleet.web[2]", &state.VM{ID: "vm-3", Name: "web-2"})
	r.RemoveIf("fleet.web[0]", "vm-other") // a duplicate's delete keeps the record
	r.RemoveIf("fleet.web[1]", "vm-2")
	got := r.state()
	want := map[string]*state.VM{
		"fleet.web[0]": {ID: "vm-1", Name: "web-0"},
		"fleet.web[2]": {ID: "vm-3", Name: "web-2"},
	}
	if d := cmp.Diff(want, got.VMs); d != "" {
		t.Errorf("recorded state (-want +got):\n%s", d)
	}
	if len(st.VMs) != 2 || st.VMs["fleet.web[1]"] == nil {
		t.Errorf("the recorder changed the state it started from: %v", st.VMs)
	}
}
