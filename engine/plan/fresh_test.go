package plan_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// TestCheckFreshState: a saved plan is stale once the state it was made
// against is gone, appeared, or moved on.
func TestCheckFreshState(t *testing.T) {
	f := applied(t, twoWeb)
	invs := map[string]driver.Inventory{pk: {VMs: f.vms, Hosts: f.hosts}}
	fp := plan.FingerprintOf(invs, lineage, f.state)
	withState := &plan.Plan{Lineage: lineage, StateSerial: 7, StateExists: true, InventoryFingerprint: fp}
	noState := &plan.Plan{Lineage: lineage, InventoryFingerprint: plan.FingerprintOf(invs, lineage, nil)}
	st := func(lin string, serial uint64) *state.State {
		s := f.state.Clone()
		s.Lineage, s.Serial = lin, serial
		return s
	}
	tests := []struct {
		name  string
		plan  *plan.Plan
		state *state.State
		want  string // the stale reason; "" for fresh
	}{
		{"unchanged", withState, st(lineage, 7), ""},
		{"unchanged, no state", noState, nil, ""},
		{"state deleted", withState, nil, "the state it was made against no longer exists"},
		{"state appeared", noState, st(lineage, 1), "the workspace had no state when it was made, and now has (serial 1)"},
		{"another lineage", withState, st("lin-other", 7), "it was made for state lineage lin-test, and the state is lineage lin-other"},
		{"serial moved on", withState, st(lineage, 8), "the state changed since it was made (serial 7, now 8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkStale(t, tt.plan.CheckFresh(tt.state, invs), tt.want)
		})
	}
	err := &plan.StaleError{Reason: "why"}
	if want := "saved plan is stale: why. Run plan again and apply the new plan"; err.Error() != want {
		t.Errorf("StaleError says %q; want %q", err.Error(), want)
	}
}

func checkStale(t *testing.T, err error, want string) {
	t.Helper()
	var stale *plan.StaleError
	switch {
	case want == "" && err != nil:
		t.Errorf("CheckFresh = %v; want fresh", err)
	case want != "" && (!errors.As(err, &stale) || stale.Reason != want):
		t.Errorf("CheckFresh = %v; want a *StaleError with reason %q", err, want)
	}
}

// TestCheckFreshInventory: a saved plan is stale when anything the diff
// looked at changed — a VM it covers, a host, or a VM it does not manage
// (name checks, imports and placement depend on those) — and the reason
// says which.
func TestCheckFreshInventory(t *testing.T) {
	const spec = twoWeb + `
fleet "new" {
  count     = 1
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
`
	f := applied(t, twoWeb)
	f.spec = loadSpec(t, spec)
	pet := driver.VM{ID: "vm-0100", Name: "pet", Host: "hv-02", CPU: 1, MemoryMiB: gib, Power: driver.PowerRunning}
	f.vms = append(f.vms, pet)
	p := mustDiff(t, f.input())
	if got := rows(p); len(got) != 1 || got[0].Action != plan.Create {
		t.Fatalf("the plan is %v; want one create of fleet.new[0]", got)
	}
	p.InventoryFingerprint = plan.FingerprintOf(f.input().Inventories, lineage, f.state)
	tests := []struct {
		name   string
		change func(vms []driver.VM, hs []driver.Host) ([]driver.VM, []driver.Host)
		want   string
	}{
		{"nothing", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) { return v, h }, ""},
		{"managed VM resized", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			v[0].CPU++
			return v, h
		}, "the VMs it covers changed since it was made"},
		{"host shrank", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			h[1].CPU = 8
			return v, h
		}, "the capacity of host hv-02 of provider sim.lab changed since it was made (32 vCPU and 128 GiB, now 8 vCPU and 128 GiB)"},
		{"host gone", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			return v, h[:3]
		}, "host hv-04 of provider sim.lab is gone since it was made"},
		{"host added", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			return v, append(h, driver.Host{Name: "hv-05", CPU: 1, MemoryMiB: gib})
		}, "host hv-05 of provider sim.lab is new since it was made, and placement depends on the hosts"},
		{"a VM took the planned name", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			return append(v, driver.VM{ID: "vm-0200", Name: "new-0", Host: "hv-03", CPU: 1, MemoryMiB: gib}), h
		}, "a VM named new-0 (vm-0200) now exists on provider sim.lab, and the plan creates fleet.new[0] with that name"},
		{"an unmanaged VM grew", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			v[2].MemoryMiB *= 64
			return v, h
		}, whyOthers},
		{"an unmanaged VM appeared", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			return append(v, driver.VM{ID: "vm-0300", Name: "other", Host: "hv-01", CPU: 30, MemoryMiB: gib}), h
		}, whyOthers},
		{"an unmanaged VM was deleted", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			return v[:2], h
		}, whyOthers},
		{"an unmanaged VM got another workspace's marker", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			v[2].Marker = &driver.Marker{Address: "vm.x", Lineage: "lin-other"}
			return v, h
		}, whyOthers},
		{"the inventory lists the same in another order", func(v []driver.VM, h []driver.Host) ([]driver.VM, []driver.Host) {
			v[0], v[2] = v[2], v[0]
			h[0], h[3] = h[3], h[0]
			return v, h
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vms, hs := tt.change(cloneVMs(f.vms), slices.Clone(f.hosts))
			invs := map[string]driver.Inventory{pk: {VMs: vms, Hosts: hs}}
			checkStale(t, p.CheckFresh(f.state, invs), tt.want)
		})
	}
}

const whyOthers = "VMs on provider sim.lab that this workspace does not manage were created, deleted, resized, moved or re-marked since it was made; " +
	"the plan's name checks and placement depend on them"

// TestFingerprintManaged checks what the managed part covers: every
// attribute of a VM the workspace manages (in state or by marker), and no
// other VM.
func TestFingerprintManaged(t *testing.T) {
	f := applied(t, twoWeb)
	f.vms = append(f.vms, driver.VM{ID: "vm-0009", Name: "imported", Host: "hv-02", CPU: 1, MemoryMiB: gib})
	f.state.VMs["vm.imported"] = &state.VM{Provider: pk, ID: "vm-0009", Fleet: "vm.imported", Name: "imported"}
	addVM(f, "fleet.stray[0]", "vm-0010")
	fp := func(vms []driver.VM) string {
		return plan.FingerprintOf(map[string]driver.Inventory{pk: {VMs: vms, Hosts: f.hosts}}, lineage, f.state).Managed
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
			t.Errorf("adding an unmanaged VM (%s) changed the managed fingerprint", name)
		}
	}
	changes := map[string]func(vm *driver.VM){
		"name": func(vm *driver.VM) { vm.Name += "x" }, "host": func(vm *driver.VM) { vm.Host = "hv-04" },
		"cpu": func(vm *driver.VM) { vm.CPU++ }, "memory": func(vm *driver.VM) { vm.MemoryMiB++ },
		"disk": func(vm *driver.VM) { vm.DiskGB++ }, "power": func(vm *driver.VM) { vm.Power = driver.PowerStopped },
		"template": func(vm *driver.VM) { vm.Template = debianID }, "tags": func(vm *driver.VM) { vm.Tags = map[string]string{"a": "b"} },
		"tag split": func(vm *driver.VM) { vm.Tags = map[string]string{"a": "b,c"} },
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
