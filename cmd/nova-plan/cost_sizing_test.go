package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sizingFleet is a fleet of count VMs that sizing places on the cheaper
// of sim.onprem and sim.cloud (twoSims), with extra settings.
func sizingFleet(count, cpu, memGB int, extra string) string {
	return fmt.Sprintf(`
fleet "big" {
  providers = [provider.sim.onprem, provider.sim.cloud]
  sizing    = "cheapest"
  count     = %d
  template  = template.ubuntu
  cpu       = %d
  memory_gb = %d
%s}
`, count, cpu, memGB, extra)
}

// TestSizingSkipsProvidersThatCannotHold: a hypervisor whose hosts could
// never hold the VM, even empty, or that lacks its pinned host or the
// labels it needs, is no candidate however cheap (sim.onprem's one host:
// 8 vCPU, 32 GiB, hv-01).
func TestSizingSkipsProvidersThatCannotHold(t *testing.T) {
	onprem := strings.Replace(twoSims("0.01", "0.03"), "cost_per_core_hour = 0.01",
		"cost_per_core_hour = 0.01\n  host_disk_gb       = 50\n  host_labels        = { \"hv-01\" = \"ssd=false\" }", 1)
	tests := []struct{ name, fleet string }{
		{"more vCPU and memory than its largest host", sizingFleet(2, 16, 64, "")},
		{"a pinned host it lacks", sizingFleet(1, 2, 4, "  host      = \"hv-03\"\n")},
		{"more disk than its hosts", sizingFleet(1, 2, 4, "  disk_gb   = 100\n")},
		{"labels its hosts lack", sizingFleet(1, 2, 4, "  placement { host_labels = { ssd = \"true\" } }\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := onprem
			if strings.Contains(tt.fleet, "host_labels") {
				spec = strings.Replace(spec, "cost_per_core_hour = 0.03", "cost_per_core_hour = 0.03\n  host_labels        = { \"hv-04\" = \"ssd=true\" }", 1)
			}
			p := costPlanJSON(t, newDir(t, spec+tt.fleet))
			if len(p.Changes) == 0 {
				t.Fatal("no changes")
			}
			for _, c := range p.Changes {
				if c.Provider != "sim.cloud" {
					t.Errorf("%s on %s, want sim.cloud: sim.onprem cannot hold it", c.Address, c.Provider)
				}
			}
		})
	}
	t.Run("no provider can hold it", func(t *testing.T) {
		r := nova(t, newDir(t, onprem+sizingFleet(1, 2, 4, "  host      = \"hv-09\"\n")), "plan", "-no-color").Must(t, 1, "plan pinned to no host")
		golden(t, "cost-bad-no-provider-holds.txt", r.Stderr)
	})
}

// movingSpec is a fleet sizing keeps on the cheaper of sim.onprem and
// sim.cloud, sim.onprem's cost a variable, with a rollout block and a
// burst_to provider (sim.spare).
const movingSpec = `
variable "onprem" {
  type = number
}

provider "sim" "onprem" {
  hosts              = 1
  host_cpu           = 8
  host_memory_gb     = 32
  cost_per_core_hour = var.onprem
}

provider "sim" "cloud" {
  hosts              = 4
  host_cpu           = 64
  host_memory_gb     = 256
  cost_per_core_hour = 0.02
}

provider "sim" "spare" {
  hosts              = 1
  cost_per_core_hour = 0.05
}

template "ubuntu" {
  sim { image = "ubuntu" }
}

fleet "web" {
  providers = [provider.sim.onprem, provider.sim.cloud]
  sizing    = "cheapest"
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  placement { burst_to = provider.sim.spare }
  rollout {
    batch_size      = 1
    max_unavailable = 1
  }
}
`

// movePlan is the part of plan -json the sizing move test reads.
type movePlan struct {
	Changes []struct {
		Address  string   `json:"address"`
		Action   string   `json:"action"`
		Reasons  []string `json:"reasons"`
		CBD      bool     `json:"create_before_destroy"`
		Batch    int      `json:"batch"`
		Burst    bool     `json:"burst"`
		Provider string   `json:"provider"`
	} `json:"changes"`
}

// TestSizingMovesOnlyForAWorthwhileSaving: a fleet's VMs stay on their
// provider at a tie and for a saving under 10 % of their cost; a larger
// saving moves them, create before destroy, in rollout batches, reasoned
// by sizing and the saving, never as coming back from a burst.
func TestSizingMovesOnlyForAWorthwhileSaving(t *testing.T) {
	dir := newDir(t, movingSpec)
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-parallelism=1", "-var", "onprem=0.03").Must(t, 0, "apply on the cloud") // ids in address order
	for _, cost := range []string{"0.02", "0.019"} {                                                                              // a tie; 5 % less
		r := nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "onprem="+cost).Must(t, 0, "plan at onprem="+cost)
		if !strings.Contains(r.Stdout, "No changes.") {
			t.Errorf("onprem at %s: the fleet should stay on sim.cloud:\n%s", cost, r.Stdout)
		}
	}
	text := nova(t, dir, "plan", "-no-color", "-var", "onprem=0.01").Must(t, 0, "plan at half the price").Stdout
	golden(t, "cost-sizing-move.txt", text)
	r := nova(t, dir, "plan", "-json", "-var", "onprem=0.01").Must(t, 0, "plan -json")
	var p movePlan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2 {
		t.Fatalf("want the 2 VMs replaced, got %+v", p.Changes)
	}
	want := `sizing = "cheapest": sim.onprem costs $29.20/month less than sim.cloud for the fleet`
	for i, c := range p.Changes {
		if c.Action != "replace" || !c.CBD || c.Burst || c.Provider != "sim.onprem" || c.Batch != i+1 ||
			len(c.Reasons) != 1 || c.Reasons[0] != want {
			t.Errorf("change %d: %+v; want a create-before-destroy replace onto sim.onprem in batch %d, reason %q", i, c, i+1, want)
		}
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "onprem=0.01").Must(t, 0, "apply the move")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "onprem=0.01").Must(t, 0, "plan after the move")
}

// TestSizingNeedsProviders: sizing with a single provider is an error at
// sizing.
func TestSizingNeedsProviders(t *testing.T) {
	spec := twoSims("0.01", "0.03") + `
fleet "web" {
  provider  = provider.sim.onprem
  sizing    = "cheapest"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`
	r := nova(t, newDir(t, spec), "validate", "-no-color").Must(t, 1, "validate sizing without providers")
	golden(t, "cost-bad-sizing-without-providers.txt", r.Stderr)
}

// TestCostSettingsBounded: a cost setting past USD 1,000 an hour is an
// error at it; at the bound, the plan saves and renders as JSON.
func TestCostSettingsBounded(t *testing.T) {
	fleet := `
fleet "web" {
  provider  = provider.sim.cloud
  count     = 3
  template  = template.ubuntu
  cpu       = 64
  memory_gb = 4
}
`
	for _, bad := range []string{"1e308", "1001"} {
		r := nova(t, newDir(t, twoSims("0.01", bad)+fleet), "plan", "-no-color").Must(t, 1, "plan at "+bad)
		if !strings.Contains(r.Stderr, "on main.nova.hcl line 12") || !strings.Contains(r.Stderr, "cost_per_core_hour must be a number of USD from 0 to 1000") {
			t.Errorf("cost_per_core_hour = %s: want an error at main.nova.hcl line 12 naming the bound:\n%s", bad, r.Stderr)
		}
	}
	dir := newDir(t, twoSims("0.01", "1000")+fleet)
	p := costPlanJSON(t, dir)
	if p.Cost == nil || p.Cost.MonthlyDelta != 3*64*1000*730 {
		t.Fatalf("plan cost %+v, want %d", p.Cost, 3*64*1000*730)
	}
	nova(t, dir, "plan", "-out", "tfplan").Must(t, 0, "plan -out at the bound")
	if _, err := os.Stat(filepath.Join(dir, "tfplan")); err != nil {
		t.Fatal(err)
	}
}

// TestCostTotals: the total is the rounded sum of unrounded figures, and
// counts the changes on providers without a price; sizing says which
// provider it skipped for having none.
func TestCostTotals(t *testing.T) {
	spec := twoSims("0.01", "0.0099") + `
provider "sim" "free" {
  hosts = 1
}

fleet "web" {
  provider  = provider.sim.cloud
  count     = 200
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

fleet "tools" {
  provider  = provider.sim.free
  count     = 2
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

fleet "batch" {
  providers = [provider.sim.free, provider.sim.onprem]
  sizing    = "cheapest"
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
`
	dir := newDir(t, spec)
	var p struct {
		Cost struct {
			MonthlyDelta float64 `json:"monthly_delta"`
			Unpriced     int     `json:"unpriced_changes"`
		} `json:"cost"`
		Warnings []string `json:"warnings"`
	}
	r := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatal(err)
	}
	// 200 × $7.227 (1 vCPU × 730 h × $0.0099) and $7.30 on sim.onprem.
	if p.Cost.MonthlyDelta != 1452.70 || p.Cost.Unpriced != 2 {
		t.Errorf("cost %+v, want 1452.70 (1445.40 + 7.30) and 2 unpriced changes", p.Cost)
	}
	skip := `sizing = "cheapest" of fleet.batch skips provider sim.free: it has no price`
	if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], skip) {
		t.Errorf("warnings %q, want one starting %q", p.Warnings, skip)
	}
	text := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout
	for _, want := range []string{"Monthly cost: +$1452.70 USD (730 hours; 2 changes without a price).", "Warning: " + skip} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan lacks %q", want)
		}
	}
}
