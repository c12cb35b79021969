package plan_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// randomSpec writes 1 to 3 fleets with random sizes, pins, power, tags,
// lifecycle and rollout; a fleet may depend on earlier ones.
func randomSpec(rng *rand.Rand) string {
	var b strings.Builder
	pick := func(opts ...string) string { return opts[rng.Intn(len(opts))] }
	for i := range 1 + rng.Intn(3) {
		fmt.Fprintf(&b, "fleet \"f%d\" {\n  count = %d\n  template = template.%s\n", i, rng.Intn(5), pick("ubuntu", "debian"))
		fmt.Fprintf(&b, "  cpu = %d\n  memory_gb = %d\n  disk_gb = %d\n", 1+rng.Intn(4), 1+rng.Intn(4), 10*(1+rng.Intn(4)))
		fmt.Fprintf(&b, "  power = %q\n  tags = { %s }\n", pick("running", "running", "stopped"), pick("", `a = "1"`, `a = "2", b = "x"`))
		b.WriteString(pick("", "", `  host = "hv-0${count.index % 3 + 1}"`+"\n", `  host = "hv-04"`+"\n"))
		if i > 0 && rng.Intn(2) == 0 {
			fmt.Fprintf(&b, "  depends_on = [fleet.f%d]\n", rng.Intn(i))
		}
		var ignore []string
		for _, a := range []string{"cpu", "memory_gb", "disk_gb", "power", "tags", "host"} {
			if rng.Intn(6) == 0 {
				ignore = append(ignore, a)
			}
		}
		fmt.Fprintf(&b, "  lifecycle {\n    create_before_destroy = %v\n    ignore_changes = [%s]\n  }\n", rng.Intn(2) == 0, strings.Join(ignore, ", "))
		if rng.Intn(2) == 0 {
			bs := 1 + rng.Intn(3)
			fmt.Fprintf(&b, "  rollout {\n    batch_size = %d\n    max_unavailable = %d\n  }\n", bs, 1+rng.Intn(bs))
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// randomWorld builds live VMs and state for a spec: each instance is
// absent, applied, drifted, unsaved (not in state), vanished, duplicated,
// imported without a marker, or on a provider it left; plus VMs and records
// of addresses no longer wanted, and VMs the workspace does not own.
func randomWorld(rng *rand.Rand, s *spec.Spec) *world {
	w := &world{vms: map[string]map[string]driver.VM{pk: {}, "sim.old": {}}, state: state.New(lineage)}
	for i := range 6 {
		w.hosts = append(w.hosts, driver.Host{Name: fmt.Sprintf("hv-%02d", i+1), CPU: 1 << 20, MemoryMiB: 1 << 40})
	}
	id := 0
	newVM := func(inst *spec.Instance) driver.VM {
		id++
		vm := liveVM(inst, fmt.Sprintf("vm-%04d", id))
		vm.Host = w.hosts[rng.Intn(len(w.hosts))].Name
		if inst.Host != "" && rng.Intn(3) > 0 {
			vm.Host = inst.Host
		}
		return vm
	}
	for _, f := range s.Fleets {
		for _, inst := range f.Instances {
			vm := newVM(inst)
			switch rng.Intn(9) {
			case 0: // absent
				continue
			case 1: // vanished from under state
				w.state.VMs[inst.Address] = record(inst, vm)
				continue
			case 2: // unsaved
				drift(rng, &vm)
			case 3: // duplicated
				dup := newVM(inst)
				w.put(pk, dup)
				w.state.VMs[inst.Address] = record(inst, vm)
			case 4: // vanished, recreated by a crashed apply
				w.state.VMs[inst.Address] = record(inst, newVM(inst))
			case 5: // imported: in state without a marker
				vm.Marker = nil
				w.state.VMs[inst.Address] = record(inst, vm)
			case 6: // on a provider the fleet left
				rec := record(inst, vm)
				rec.Provider = "sim.old"
				w.state.VMs[inst.Address] = rec
				w.put("sim.old", vm)
				continue
			default:
				w.state.VMs[inst.Address] = record(inst, vm)
				drift(rng, &vm)
			}
			w.put(pk, vm)
		}
	}
	addStrays(rng, w, &id)
	return w
}

// drift changes some attributes of a live VM.
func drift(rng *rand.Rand, vm *driver.VM) {
	changes := []func(){
		func() { vm.CPU = 1 + rng.Intn(4) }, func() { vm.MemoryMiB = int64(1+rng.Intn(4)) * gib },
		func() { vm.DiskGB = 10 * (1 + rng.Intn(4)) }, func() { vm.Power = driver.PowerStopped },
		func() { vm.Power = driver.PowerRunning }, func() { vm.Tags = map[string]string{"a": "3"} },
		func() { vm.Template = debianID }, func() { vm.Template = "" },
	}
	for range rng.Intn(3) {
		changes[rng.Intn(len(changes))]()
	}
}

func addStrays(rng *rand.Rand, w *world, id *int) {
	for i := range rng.Intn(4) {
		*id++
		vm := driver.VM{
			ID: fmt.Sprintf("vm-%04d", *id), Name: fmt.Sprintf("gone-%d", i), Host: "hv-01", CPU: 1, MemoryMiB: gib,
			Power: driver.PowerRunning, Marker: &driver.Marker{Address: fmt.Sprintf("fleet.gone[%d]", i), Lineage: lineage},
		}
		switch rng.Intn(5) {
		case 0: // in state, VM gone
			w.state.VMs[vm.Marker.Address] = &state.VM{Provider: pk, ID: vm.ID, Fleet: "fleet.gone", Name: vm.Name, DependsOn: []string{"fleet.f0"}}
			continue
		case 1: // in state
			w.state.VMs[vm.Marker.Address] = &state.VM{Provider: pk, ID: vm.ID, Fleet: "fleet.gone", Name: vm.Name, DependsOn: []string{"fleet.f0"}}
		case 2: // abandoned
			w.state.Abandoned = append(w.state.Abandoned, state.Ref{Provider: pk, ID: vm.ID})
		case 3: // not ours
			vm.Marker.Lineage = "lin-other"
		}
		w.put(pk, vm)
	}
	*id++
	w.put(pk, driver.VM{ID: fmt.Sprintf("vm-%04d", *id), Name: "pet", Host: "hv-02", CPU: 1, MemoryMiB: gib})
}

// TestDiffProperties diffs random specs against random worlds and checks
// the plan's invariants, then applies it to the world and diffs again:
// nothing may be left to do, and state must name exactly the live VMs the
// workspace owns.
func TestDiffProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := range 500 {
		src := randomSpec(rng)
		s := loadSpec(t, src)
		w := randomWorld(rng, s)
		caps := driver.Capabilities{HotAddCPU: rng.Intn(2) == 0, HotAddMemory: rng.Intn(2) == 0,
			OnlineDiskGrow: rng.Intn(2) == 0, Migrate: rng.Intn(3) > 0, LiveMigrate: rng.Intn(2) == 0}
		input := func() plan.Input {
			return plan.Input{Spec: s, State: w.state, Inventories: w.inventories(),
				Capabilities: map[string]driver.Capabilities{pk: caps, "sim.old": caps}}
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("iteration %d: %s\nspec:\n%s", iter, fmt.Sprintf(format, args...), src)
		}
		p, diags := plan.Diff(input())
		if diags.HasErrors() {
			fail("Diff: %s", diagText(diags))
		}
		if err := checkPlan(p); err != nil {
			fail("%v\nplan: %v", err, rows(p))
		}
		if err := w.apply(p); err != nil {
			fail("applying the plan: %v", err)
		}
		w.state.Serial++
		again, diags := plan.Diff(input())
		if diags.HasErrors() || !again.Empty() {
			fail("second Diff after applying %v:\n%v %s", rows(p), rows(again), diagText(diags))
		}
		if err := checkState(w); err != nil {
			fail("after applying %v: %v", rows(p), err)
		}
	}
}

// checkPlan checks invariants of one plan.
func checkPlan(p *plan.Plan) error {
	made, deleted := map[string]int{}, map[string]int{}
	for i, c := range p.Changes {
		if len(c.Reasons) == 0 {
			return fmt.Errorf("%s %s has no reason", c.Action, c.Address)
		}
		switch c.Action {
		case plan.Create, plan.Replace, plan.Adopt:
			if made[c.Address]++; made[c.Address] > 1 {
				return fmt.Errorf("%s gets more than one create, replace or adopt", c.Address)
			}
		}
		if c.Action == plan.Delete || c.Action == plan.Replace {
			key := c.Before.Provider + "/" + c.ID
			if deleted[key]++; deleted[key] > 1 {
				return fmt.Errorf("VM %s is deleted twice", key)
			}
		}
		if i > 0 && addrs.CompareStrings(c.Address, p.Changes[i-1].Address) < 0 {
			return fmt.Errorf("changes are not in address order: %s after %s", c.Address, p.Changes[i-1].Address)
		}
	}
	_, err := plan.BuildGraph(p)
	return err
}

// checkState checks that state names exactly the live VMs the workspace
// owns, each at the address its marker gives.
func checkState(w *world) error {
	inState := map[string]string{}
	for addr, rec := range w.state.VMs {
		vm, ok := w.vms[rec.Provider][rec.ID]
		if !ok {
			return fmt.Errorf("state records %s as %s, which does not exist", addr, rec.ID)
		}
		if vm.Marker != nil && vm.Marker.Address != addr {
			return fmt.Errorf("state records %s as %s, marked for %s", addr, rec.ID, vm.Marker.Address)
		}
		inState[rec.Provider+"/"+rec.ID] = addr
	}
	for p, vms := range w.vms {
		for id, vm := range vms {
			owned := vm.Marker != nil && vm.Marker.Lineage == lineage && !w.state.IsAbandoned(p, id)
			if owned && inState[p+"/"+id] == "" {
				return fmt.Errorf("VM %s on %s carries the workspace's marker (%s) but is not in state", id, p, vm.Marker.Address)
			}
		}
	}
	return nil
}
