package plan

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// unchangedFixture is a fleet of n VMs, each live as the spec wants it and
// recorded in state, and a differ over them with the live VMs indexed.
func unchangedFixture(n int, lc spec.Lifecycle, edit func(vm *driver.VM)) (*differ, []*spec.Instance) {
	prov := &spec.Provider{Type: "sim", Name: "lab"}
	f := &spec.Fleet{
		Kind: spec.KindFleet, Name: "web", Provider: prov, Lifecycle: lc,
		TemplateRef: driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}},
	}
	st := state.New("lin")
	st.Serial = 3
	var vms []driver.VM
	for i := range n {
		addr := fmt.Sprintf("fleet.web[%d]", i)
		inst := &spec.Instance{Address: addr, Fleet: f, Index: i, Name: fmt.Sprintf("web-%d", i),
			CPU: 2, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning, Tags: map[string]string{"tier": "web", "n": fmt.Sprint(i)}}
		f.Instances = append(f.Instances, inst)
		vm := driver.VM{ID: fmt.Sprintf("vm-%04d", i), Name: inst.Name, Host: "hv-01", CPU: 2, MemoryMiB: 2048, DiskGB: 20,
			Power: driver.PowerRunning, Template: f.TemplateRef.ID(), Tags: map[string]string{"tier": "web", "n": fmt.Sprint(i)},
			Marker: &driver.Marker{Address: addr, Lineage: "lin"}}
		if edit != nil {
			edit(&vm)
		}
		vms = append(vms, vm)
		st.VMs[addr] = &state.VM{Provider: "sim.lab", ID: vm.ID, Fleet: "fleet.web", Name: inst.Name, Host: "hv-01",
			CPU: 2, MemoryMiB: 2048, DiskGB: 20, Power: "running", Template: f.TemplateRef.ID(), Tags: inst.Tags}
	}
	in := Input{
		Spec: &spec.Spec{Providers: map[string]*spec.Provider{"sim.lab": prov}, Fleets: []*spec.Fleet{f}}, State: st,
		Inventories:  map[string]driver.Inventory{"sim.lab": {VMs: vms, Hosts: []driver.Host{{Name: "hv-01", CPU: 1024, MemoryMiB: 1 << 30}}}},
		Capabilities: map[string]driver.Capabilities{"sim.lab": {Migrate: true, HotAddCPU: true, HotAddMemory: true, OnlineDiskGrow: true}},
	}
	d := newDiffer(in)
	d.indexLive()
	return d, f.Instances
}

// TestUnchangedVMAllocatesNothing: diffing a VM that matches the spec
// allocates nothing at all (the maps that note it as desired and claimed
// already hold it after the first diff of it).
func TestUnchangedVMAllocatesNothing(t *testing.T) {
	d, insts := unchangedFixture(3, spec.Lifecycle{IgnoreChanges: []string{"power"}}, nil)
	inst := insts[1]
	d.desired[inst.Address] = inst
	d.diffInstance(inst)
	if allocs := testing.AllocsPerRun(100, func() { d.diffInstance(inst) }); allocs != 0 {
		t.Errorf("diffing an unchanged VM makes %v allocations; want 0", allocs)
	}
	if len(d.plan.Changes) != 0 || d.diags.HasErrors() {
		t.Errorf("an unchanged VM was planned: %d changes, %v", len(d.plan.Changes), d.diags)
	}
}

// TestUnchangedAgreesWithCompare: the allocation-free check says a VM is
// unchanged exactly when compare, which it short-cuts, plans nothing for
// it, whatever differs between the live VM and the spec.
func TestUnchangedAgreesWithCompare(t *testing.T) {
	edits := map[string]func(vm *driver.VM){
		"none":           nil,
		"cpu":            func(vm *driver.VM) { vm.CPU = 4 },
		"memory":         func(vm *driver.VM) { vm.MemoryMiB = 1024 },
		"disk grows":     func(vm *driver.VM) { vm.DiskGB = 10 },
		"disk shrinks":   func(vm *driver.VM) { vm.DiskGB = 40 },
		"disk unknown":   func(vm *driver.VM) { vm.DiskGB = 0 },
		"power":          func(vm *driver.VM) { vm.Power = driver.PowerStopped },
		"name":           func(vm *driver.VM) { vm.Name += "x" },
		"host":           func(vm *driver.VM) { vm.Host = "hv-02" },
		"template":       func(vm *driver.VM) { vm.Template = `image="debian-12"` },
		"template unset": func(vm *driver.VM) { vm.Template = "" },
		"tag value":      func(vm *driver.VM) { vm.Tags["tier"] = "db" },
		"tag added":      func(vm *driver.VM) { vm.Tags["extra"] = "1" },
		"tags nil":       func(vm *driver.VM) { vm.Tags = nil },
	}
	lifecycles := map[string]spec.Lifecycle{
		"plain":   {},
		"ignores": {IgnoreChanges: []string{"cpu", "memory_gb", "disk_gb", "power", "tags", "host"}},
	}
	for ln, lc := range lifecycles {
		for en, edit := range edits {
			d, insts := unchangedFixture(1, lc, edit)
			inst := insts[0]
			vm, rec := d.live["sim.lab"].byID("vm-0000"), d.st.VMs[inst.Address]
			got := d.unchanged(inst, vm, rec)
			d.planChanges(inst, vm, rec)
			if want := len(d.plan.Changes) == 0; got != want {
				t.Errorf("%s, %s: unchanged = %v; compare planned %d changes", ln, en, got, len(d.plan.Changes))
			}
		}
	}
}
