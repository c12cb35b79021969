package spec

import (
	"time"

	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// TestValidExample loads testdata/valid, a spec that uses most of the
// language at once, and checks the whole model in summary.
func TestValidExample(t *testing.T) {
	s, diags := NewLoader().Load("testdata/valid", Options{Registry: simRegistry()})
	if diags.HasErrors() || s == nil {
		t.Fatalf("Load:\n%s", renderDiags(diags, "testdata/valid"))
	}
	if len(diags) != 0 {
		t.Errorf("unexpected warnings:\n%s", renderDiags(diags, "testdata/valid"))
	}
	var addrs, names []string
	for _, f := range s.Fleets {
		for _, i := range f.Instances {
			addrs = append(addrs, i.Address)
			names = append(names, i.Name)
		}
	}
	wantAddrs := []string{"fleet.web[0]", "fleet.web[1]", "fleet.web[2]", `fleet.edge["eu"]`, `fleet.edge["us"]`, "vm.db-01"}
	if diff := cmp.Diff(wantAddrs, addrs); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantNames := []string{"web-0", "web-1", "web-2", "edge-eu", "edge-us", "db-01"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	lab := s.Providers["sim.lab"]
	wantCfg := driver.Config{"hosts": int64(4), "host_cpu": int64(32), "host_memory_gb": float64(128),
		"latency": 5 * time.Millisecond, "fail_rate": float64(0), "seed": int64(7)}
	if diff := cmp.Diff(wantCfg, lab.Config); diff != "" {
		t.Errorf("sim.lab config (-want +got):\n%s", diff)
	}
	web, edge, db := s.Fleets[0], s.Fleets[1], s.Fleets[2]
	if web.Provider != lab || edge.Provider != lab || db.Provider != lab {
		t.Error("the only provider is not every fleet's default")
	}
	if diff := cmp.Diff([]string{"vm.db-01"}, web.DependsOn); diff != "" {
		t.Errorf("web.DependsOn (-want +got):\n%s", diff)
	}
	if got := edge.Instances[1].Host; got != "hv-02" {
		t.Errorf(`edge["us"] host = %q, want hv-02`, got)
	}
	if got := db.Instances[0].Power; got != driver.PowerStopped {
		t.Errorf("db-01 power = %q", got)
	}
	if got := web.Instances[2].MemoryMiB; got != 512 {
		t.Errorf("web[2] memory = %d MiB, want 512", got)
	}
	outs, diags := s.EvalOutputs(map[string]cty.Value{"fleet.web": cty.TupleVal([]cty.Value{
		vmObj("web-0"), vmObj("web-1"), vmObj("web-2"),
	})})
	if diags.HasErrors() || len(outs) != 2 || !outs[1].Sensitive || outs[1].Value.IsMarked() {
		t.Errorf("EvalOutputs = %+v\n%s", outs, renderDiags(diags, ""))
	}
}
