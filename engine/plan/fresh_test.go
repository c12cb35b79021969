package plan_test

import (
	"errors"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

func TestCheckFresh(t *testing.T) {
	withState := &plan.Plan{Lineage: lineage, StateSerial: 7, StateExists: true, InventoryFingerprint: "fp"}
	noState := &plan.Plan{Lineage: lineage, InventoryFingerprint: "fp"}
	st := func(lin string, serial uint64) *state.State {
		s := state.New(lin)
		s.Serial = serial
		return s
	}
	tests := []struct {
		name        string
		plan        *plan.Plan
		state       *state.State
		fingerprint string
		want        string // the stale reason; "" for fresh
	}{
		{"unchanged", withState, st(lineage, 7), "fp", ""},
		{"unchanged, no state", noState, nil, "fp", ""},
		{"state deleted", withState, nil, "fp", "the state it was made against no longer exists"},
		{"state appeared", noState, st(lineage, 1), "fp", "the workspace had no state when it was made, and now has (serial 1)"},
		{"another lineage", withState, st("lin-other", 7), "fp", "it was made for state lineage lin-test, and the state is lineage lin-other"},
		{"serial moved on", withState, st(lineage, 8), "fp", "the state changed since it was made (serial 7, now 8)"},
		{"VMs changed", withState, st(lineage, 7), "fp2", "the VMs it covers changed since it was made"},
		{"VMs changed, no state", noState, nil, "", "the VMs it covers changed since it was made"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan.CheckFresh(tt.state, tt.fingerprint)
			var stale *plan.StaleError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckFresh = %v; want fresh", err)
			case tt.want != "" && (!errors.As(err, &stale) || stale.Reason != tt.want):
				t.Errorf("CheckFresh = %v; want a *StaleError with reason %q", err, tt.want)
			}
		})
	}
	err := &plan.StaleError{Reason: "why"}
	if want := "saved plan is stale: why. Run plan again and apply the new plan"; err.Error() != want {
		t.Errorf("StaleError says %q; want %q", err.Error(), want)
	}
}

// TestFingerprint checks what the fingerprint covers: every attribute of a
// VM the workspace manages (in state or by marker), and no other VM.
func TestFingerprint(t *testing.T) {
	f := applied(t, twoWeb)
	f.vms = append(f.vms, driver.VM{ID: "vm-0009", Name: "imported", Host: "hv-02", CPU: 1, MemoryMiB: gib})
	f.state.VMs["vm.imported"] = &state.VM{Provider: pk, ID: "vm-0009", Fleet: "vm.imported", Name: "imported"}
	addVM(f, "fleet.stray[0]", "vm-0010")
	fp := func(vms []driver.VM) string {
		return plan.Fingerprint(map[string]driver.Inventory{pk: {VMs: vms, Hosts: f.hosts}}, lineage, f.state)
	}
	base := fp(f.vms)
	if again := fp(append([]driver.VM{f.vms[3], f.vms[2]}, f.vms[:2]...)); again != base {
		t.Errorf("the fingerprint depends on the order of the inventory")
	}
	unmanaged := map[string]driver.VM{
		"unmarked":         {ID: "vm-0100", Name: "pet", CPU: 1},
		"another lineage":  {ID: "vm-0101", Name: "theirs", Marker: &driver.Marker{Address: "fleet.web[0]", Lineage: "lin-other"}},
		"abandoned marked": {ID: "vm-0102", Name: "left", Marker: &driver.Marker{Address: "fleet.web[5]", Lineage: lineage}},
	}
	f.state.Abandoned = []state.Ref{{Provider: pk, ID: "vm-0102"}}
	for name, vm := range unmanaged {
		if got := fp(append(cloneVMs(f.vms), vm)); got != base {
			t.Errorf("adding an unmanaged VM (%s) changed the fingerprint", name)
		}
	}
	changes := map[string]func(vm *driver.VM){
		"name": func(vm *driver.VM) { vm.Name += "x" }, "host": func(vm *driver.VM) { vm.Host = "hv-04" },
		"cpu": func(vm *driver.VM) { vm.CPU++ }, "memory": func(vm *driver.VM) { vm.MemoryMiB++ },
		"disk": func(vm *driver.VM) { vm.DiskGB++ }, "power": func(vm *driver.VM) { vm.Power = driver.PowerStopped },
		"template": func(vm *driver.VM) { vm.Template = debianID }, "tags": func(vm *driver.VM) { vm.Tags = map[string]string{"a": "b"} },
		"marker": func(vm *driver.VM) {
			vm.Marker = &driver.Marker{Address: "fleet.web[1]", Lineage: lineage, SpecHash: "other"}
		},
	}
	for i, who := range []string{"in state", "in state", "imported, in state without a marker", "marked, not in state"} {
		for name, change := range changes {
			vms := cloneVMs(f.vms)
			change(&vms[i])
			if fp(vms) == base {
				t.Errorf("changing the %s of a managed VM (%s) left the fingerprint as it was", name, who)
			}
		}
		if fp(append(cloneVMs(f.vms[:i]), f.vms[i+1:]...)) == base {
			t.Errorf("removing a managed VM (%s) left the fingerprint as it was", who)
		}
	}
}

func cloneVMs(vms []driver.VM) []driver.VM { return append([]driver.VM(nil), vms...) }

// TestBind checks that a saved plan is refused for a changed spec, and
// that its creates get the spec's templates.
func TestBind(t *testing.T) {
	f := &fixture{spec: loadSpec(t, twoWeb), hosts: hosts(2), caps: simCaps}
	fresh := func() *plan.Plan { return mustDiff(t, f.input()) }

	p := fresh()
	if err := p.Bind(f.spec); err != nil {
		t.Fatalf("Bind to the same spec: %v", err)
	}
	for _, c := range p.Changes {
		if c.Template.Name != "ubuntu" || c.Template.ID() != ubuntuID {
			t.Errorf("%s: bound template %+v; want ubuntu", c.Address, c.Template)
		}
	}
	stale := func(name string, p *plan.Plan, want string) {
		var se *plan.StaleError
		if err := p.Bind(f.spec); !errors.As(err, &se) || se.Reason != want {
			t.Errorf("%s: Bind = %v; want a *StaleError with reason %q", name, err, want)
		}
	}
	p = fresh()
	p.SpecDigest = "0000"
	stale("spec digest", p, "the spec files changed since it was made")
	p = fresh()
	p.Changes[1].After.Template = debianID
	stale("template", p, "the template of fleet.web[1] differs from the spec's")
	p = fresh()
	p.Changes[0].Fleet = "fleet.gone"
	stale("fleet gone", p, "the template of fleet.web[0] differs from the spec's")
}
