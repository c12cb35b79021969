package rebalance_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/rebalance"
	"github.com/novacron/novacron/state"
)

// twoProviders is a state of two running VMs and a stopped one on "a.x"
// and one running VM on "b.y", both providers able to migrate.
func twoProviders() plan.Input {
	vms := map[string]*state.VM{}
	invs := map[string]driver.Inventory{}
	caps := map[string]driver.Capabilities{}
	for _, v := range []struct {
		addr, provider, id string
		power              driver.Power
	}{
		{"vm.a1", "a.x", "1", driver.PowerRunning}, {"vm.a2", "a.x", "2", driver.PowerRunning},
		{"vm.a3", "a.x", "3", driver.PowerStopped}, {"vm.b1", "b.y", "1", driver.PowerRunning},
	} {
		vms[v.addr] = &state.VM{Provider: v.provider, ID: v.id, Fleet: v.addr}
		inv := invs[v.provider]
		inv.Hosts = hosts(2, 8, 8192)
		inv.VMs = append(inv.VMs, driver.VM{ID: v.id, Host: "h1", CPU: 1, MemoryMiB: 1024, Power: v.power})
		invs[v.provider] = inv
		caps[v.provider] = driver.Capabilities{Migrate: true, LiveMigrate: true}
	}
	return plan.Input{State: &state.State{VMs: vms}, Inventories: invs, Capabilities: caps}
}

// TestUnreportedProviders: without a file, a provider whose driver gave
// no reading at all (absent from use) is named, with its running VMs,
// in the report and in a warning that points at -utilization; a provider
// that reports, even leaving VMs out, is not; with a file, none is.
func TestUnreportedProviders(t *testing.T) {
	file, diags := rebalance.DecodeUsage("use.json", []byte(`{"format_version": 1, "vms": {"vm.a1": {"cpu": 0.5, "memory_mib": 100}}}`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cases := []struct {
		name       string
		use        map[string]map[string]driver.Usage
		file       *rebalance.UsageFile
		want       []rebalance.Unreported
		unmeasured int
	}{
		{"no reader", nil, nil, []rebalance.Unreported{{Provider: "a.x", VMs: 2}, {Provider: "b.y", VMs: 1}}, 3},
		{"one reader", map[string]map[string]driver.Usage{"a.x": {"1": {CPU: 0.2, MemoryMiB: 300}}},
			nil, []rebalance.Unreported{{Provider: "b.y", VMs: 1}}, 2},
		{"reader with nothing measured", map[string]map[string]driver.Usage{"a.x": {}, "b.y": nil}, nil, nil, 3},
		{"file", nil, file, nil, 2}, // vm.a1 is in the file
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, rep, diags := rebalance.Requests(twoProviders(), c.use, rebalance.Options{Mode: rebalance.Hot, Threshold: 80,
				MovePercent: 10, MinRatio: rebalance.DefaultMinRatio, File: c.file})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(c.want, rep.Unreported); diff != "" {
				t.Errorf("Unreported (-want +got):\n%s", diff)
			}
			if rep.Unmeasured != c.unmeasured {
				t.Errorf("Unmeasured = %d, want %d", rep.Unmeasured, c.unmeasured)
			}
			var warned []string
			for _, d := range diags {
				if strings.Contains(d.Summary, "cannot report utilization") && strings.Contains(d.Detail, "-utilization FILE") {
					warned = append(warned, d.Summary)
				}
			}
			var want []string
			for _, u := range c.want {
				want = append(want, "Provider "+u.Provider+" cannot report utilization")
			}
			if diff := cmp.Diff(want, warned); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
