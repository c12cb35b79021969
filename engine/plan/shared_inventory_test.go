package plan_test

import (
	"maps"
	"math/rand"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// TestDiffLeavesInventory: a plan may read inventories a driver shares
// with itself and its other callers (driver.SharedLister, what
// engine/operation's plans read), so neither the diff, the fingerprint nor
// the freshness check of a saved plan may change them, and the plan may
// keep none of their maps or markers: changing everything the plan holds
// afterwards leaves the inventories as they were. Random specs against
// random worlds (TestDiffProperties) give every kind of change.
func TestDiffLeavesInventory(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	for iter := range 300 {
		src := randomSpec(rng)
		s := loadSpec(t, src)
		w := randomWorld(rng, s)
		caps := driver.Capabilities{HotAddCPU: rng.Intn(2) == 0, HotAddMemory: rng.Intn(2) == 0,
			OnlineDiskGrow: rng.Intn(2) == 0, Migrate: rng.Intn(3) > 0, LiveMigrate: rng.Intn(2) == 0}
		invs := w.inventories()
		want := cloneInventories(invs)
		p, diags := plan.Diff(plan.Input{Spec: s, State: w.state, Inventories: invs, Lineage: lineage,
			Capabilities: map[string]driver.Capabilities{pk: caps, "sim.old": caps}})
		if diags.HasErrors() {
			t.Fatalf("iteration %d: Diff: %s\nspec:\n%s", iter, diagText(diags), src)
		}
		p.InventoryFingerprint = plan.FingerprintOf(invs, p.Lineage, w.state)
		if err := p.CheckFresh(w.state, invs); err != nil {
			t.Fatalf("iteration %d: CheckFresh right after Diff: %v", iter, err)
		}
		scribble(p)
		if diff := cmp.Diff(want, invs); diff != "" {
			t.Fatalf("iteration %d: the plan changed the inventories it read, or keeps their memory (-before +after):\n%s\nspec:\n%s", iter, diff, src)
		}
	}
}

// cloneInventories returns a deep copy of invs.
func cloneInventories(invs map[string]driver.Inventory) map[string]driver.Inventory {
	out := make(map[string]driver.Inventory, len(invs))
	for k, inv := range invs {
		c := driver.Inventory{Hosts: slices.Clone(inv.Hosts), VMs: slices.Clone(inv.VMs)}
		for i, vm := range c.VMs {
			vm.Tags = maps.Clone(vm.Tags)
			vm.Addresses = slices.Clone(vm.Addresses)
			if vm.Marker != nil {
				vm.Marker = new(*vm.Marker)
			}
			c.VMs[i] = vm
		}
		out[k] = c
	}
	return out
}

// scribble changes every map and marker the plan's changes hold.
func scribble(p *plan.Plan) {
	for _, c := range p.Changes {
		for _, a := range []*plan.Attrs{c.Before, c.After} {
			if a == nil || a.Tags == nil {
				continue
			}
			for k := range a.Tags {
				a.Tags[k] = "scribbled"
			}
			a.Tags["scribbled"] = "yes"
		}
		if c.Marker != nil {
			c.Marker.Address, c.Marker.Lineage, c.Marker.SpecHash = "scribbled", "scribbled", "scribbled"
		}
	}
}
