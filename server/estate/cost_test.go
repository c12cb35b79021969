package estate_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/server/estate"
)

// pricedSpec is a workspace on two priced sims: the one on-premises host
// (8 vCPUs at $0.01 a core-hour) takes the filler (4 vCPUs) and web[0]
// (3); web[1] bursts to the cloud sim ($0.03).
const pricedSpec = `provider "sim" "onprem" {
  hosts              = 1
  host_cpu           = 8
  host_memory_gb     = 32
  cost_per_core_hour = 0.01
}

provider "sim" "cloud" {
  hosts              = 4
  host_cpu           = 64
  host_memory_gb     = 256
  cost_per_core_hour = 0.03
}

template "ubuntu" {
  sim { image = "ubuntu" }
}

variable "web_cpu" {
  type    = number
  default = 3
}

fleet "filler" {
  provider  = provider.sim.onprem
  count     = 1
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}

fleet "web" {
  provider   = provider.sim.onprem
  count      = 2
  template   = template.ubuntu
  cpu        = var.web_cpu
  memory_gb  = 8
  depends_on = [fleet.filler]
  placement {
    burst_to = provider.sim.cloud
  }
}
`

// costs is each change's monthly cost delta by address, and the plan's.
func costs(t *testing.T, p jsonformat.Plan) (map[string]float64, float64) {
	t.Helper()
	out := map[string]float64{}
	for _, c := range p.Changes {
		if c.Cost == nil {
			t.Errorf("%s %s has no cost", c.Action, c.Address)
			continue
		}
		out[c.Address] = c.Cost.MonthlyDelta
	}
	if p.Cost == nil {
		t.Fatalf("the plan has no cost: %+v", p)
	}
	return out, p.Cost.MonthlyDelta
}

// TestServerPlanCost: a plan the server makes goes through the same
// operation as the CLI's, with the drivers' prices: the same cost figures
// per change and for the plan, a burst VM included, and the run that
// applies it creates the burst VM where the plan said.
func TestServerPlanCost(t *testing.T) {
	root := newRoot(t)
	writeFile(t, filepath.Join(root, "priced", "main.nova.hcl"), pricedSpec)
	e := open(t, root, nil)
	ctx := context.Background()
	p, err := e.Plan(ctx, "priced", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got, total := costs(t, p.Plan)
	want := map[string]float64{"fleet.filler[0]": 29.2, "fleet.web[0]": 21.9, "fleet.web[1]": 65.7} // 4 and 3 vCPUs × 730 h × $0.01; 3 × 730 × $0.03
	for addr, w := range want {
		if got[addr] != w {
			t.Errorf("%s costs %v a month, want %v", addr, got[addr], w)
		}
	}
	if total != 116.8 || p.Plan.Cost.Currency != "USD" {
		t.Errorf("plan cost %+v, want USD 116.80", p.Plan.Cost)
	}
	for _, c := range p.Plan.Changes {
		if burst := c.Address == "fleet.web[1]"; c.Burst != burst || burst && c.Provider != "sim.cloud" {
			t.Errorf("%s on %s, burst %v", c.Address, c.Provider, c.Burst)
		}
	}
	r, err := e.Apply(ctx, "priced", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	if v := vm(t, e, "priced:fleet.web[1]"); v.Provider != "sim.cloud" {
		t.Errorf("fleet.web[1] runs on %s, want sim.cloud", v.Provider)
	}

	// A cpu change reaches the burst VM where it is, priced there.
	p, err = e.Plan(ctx, "priced", "alice", estate.PlanRequest{Vars: map[string]string{"web_cpu": "4"}})
	if err != nil {
		t.Fatal(err)
	}
	got, total = costs(t, p.Plan)
	if len(got) != 2 || got["fleet.web[0]"] != 7.3 || got["fleet.web[1]"] != 21.9 || total != 29.2 {
		t.Errorf("cpu 3 → 4: costs %v, total %v; want web[0] +7.30 at home, web[1] +21.90 on the cloud, +29.20", got, total)
	}
}
