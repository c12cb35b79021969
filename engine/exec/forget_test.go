package exec_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// A forget clears the VM's ownership marker through its driver, keeps its
// user tags and everything else, then drops the state's record and
// abandons the VM. A VM the provider no longer has is forgotten all the
// same, and a VM whose marker is already gone (a forget planned again
// after an apply that stopped between the two) too.
func TestForgetClearsTheMarker(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, d driver.Driver, id string)
	}{
		{"marked VM", func(*testing.T, driver.Driver, string) {}},
		{"marker already cleared", func(t *testing.T, d driver.Driver, id string) {
			if _, err := d.Update(context.Background(), id, driver.Changes{ClearMarker: true}); err != nil {
				t.Fatal(err)
			}
		}},
		{"VM gone", func(t *testing.T, d driver.Driver, id string) {
			if err := d.Delete(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openSim(t, "a", nil)
			c := createChange("sim.a", "fleet.old", 0)
			vm, err := d.Create(context.Background(), driver.VMSpec{
				Name: "old-0", CPU: 1, MemoryMiB: 512, DiskGB: 10, Power: driver.PowerRunning,
				Template: image, Tags: map[string]string{"owner": "ops"}, Marker: *c.Marker,
			})
			if err != nil {
				t.Fatal(err)
			}
			tt.setup(t, d, vm.ID)
			r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{})
			r.w.Set(c.Address, &state.VM{Provider: "sim.a", ID: vm.ID, Fleet: c.Fleet, Name: vm.Name})
			forget := &plan.Change{Address: c.Address, Fleet: c.Fleet, Action: plan.Forget, ID: vm.ID,
				Before: attrs("sim.a", vm.Name), Reasons: []string{"removed"}}
			p, g := graph(t, nil, forget)

			res := r.apply(t, context.Background(), nil, p, g)

			if o := res.Outcomes[0]; o.Status != exec.Succeeded {
				t.Fatalf("forget: %s %v", o.Status, o.Err)
			}
			if live, ok := inventory(t, d)["old-0"]; ok && (live.Marker != nil || !cmp.Equal(live.Tags, map[string]string{"owner": "ops"})) {
				t.Errorf("forgotten VM has marker %v and tags %v, want none and owner = ops", live.Marker, live.Tags)
			}
			st := r.saved(t)
			if st.VMs[c.Address] != nil {
				t.Errorf("the state still records %s", c.Address)
			}
			if !slices.Contains(st.Abandoned, state.Ref{Provider: "sim.a", ID: vm.ID}) {
				t.Errorf("the state's abandoned list %v lacks the forgotten VM", st.Abandoned)
			}
		})
	}
}

// A forget the driver fails leaves the state's record and the marker as
// they were: the next plan forgets the VM again.
func TestForgetFailedKeepsTheRecord(t *testing.T) {
	d := openSim(t, "a", driver.Config{"fail_rate": float64(1)})
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Retry: exec.RetryPolicy{MaxAttempts: 1}})
	r.w.Set("fleet.old[0]", &state.VM{Provider: "sim.a", ID: "vm-000001", Fleet: "fleet.old", Name: "old-0"})
	forget := &plan.Change{Address: "fleet.old[0]", Fleet: "fleet.old", Action: plan.Forget, ID: "vm-000001",
		Before: attrs("sim.a", "old-0"), Reasons: []string{"removed"}}
	p, g := graph(t, nil, forget)

	res := r.apply(t, context.Background(), nil, p, g)

	if o := res.Outcomes[0]; o.Status != exec.Failed {
		t.Fatalf("forget through a failing driver: %s, want failed", o.Status)
	}
	st := r.saved(t)
	if st.VMs["fleet.old[0]"] == nil || len(st.Abandoned) != 0 {
		t.Errorf("after a failed forget the state records %v and abandons %v, want the record kept and nothing abandoned", st.VMs, st.Abandoned)
	}
}
