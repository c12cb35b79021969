package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// costPlan is the part of plan -json the cost tests read.
type costPlan struct {
	Changes []struct {
		Address  string `json:"address"`
		Action   string `json:"action"`
		Provider string `json:"provider"`
		Burst    bool   `json:"burst"`
		CBD      bool   `json:"create_before_destroy"`
		Cost     *struct {
			MonthlyDelta float64 `json:"monthly_delta"`
		} `json:"cost"`
	} `json:"changes"`
	Cost *struct {
		Currency     string  `json:"currency"`
		MonthlyDelta float64 `json:"monthly_delta"`
	} `json:"cost"`
}

func costPlanJSON(t *testing.T, dir string, args ...string) costPlan {
	t.Helper()
	r := nova(t, dir, append([]string{"plan", "-json"}, args...)...).Must(t, 0, "plan -json")
	var p costPlan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json: %v\n%s", err, r.Stdout)
	}
	return p
}

// twoSims declares an on-premises sim and a "cloud" sim, with their costs
// per core-hour, and a template for both.
func twoSims(onpremCost, cloudCost string) string {
	return fmt.Sprintf(`provider "sim" "onprem" {
  hosts              = 1
  host_cpu           = 8
  host_memory_gb     = 32
  cost_per_core_hour = %s
}

provider "sim" "cloud" {
  hosts              = 4
  host_cpu           = 64
  host_memory_gb     = 256
  cost_per_core_hour = %s
}

template "ubuntu" {
  sim { image = "ubuntu" }
}
`, onpremCost, cloudCost)
}

// TestSizingCheapestThroughTheBinary: sizing = "cheapest" puts the fleet
// on the provider where it costs least; a tie goes to the first listed.
func TestSizingCheapestThroughTheBinary(t *testing.T) {
	fleet := `
fleet "batch" {
  providers = [provider.sim.cloud, provider.sim.onprem]
  sizing    = "cheapest"
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`
	tests := []struct {
		name, onprem, cloud, want string
		each                      float64 // monthly per VM: 2 vCPU × 730 h × cost
	}{
		{"on-premises is cheaper", "0.01", "0.03", "sim.onprem", 14.6},
		{"the cloud is cheaper", "0.05", "0.02", "sim.cloud", 29.2},
		{"a tie goes to the first listed", "0.02", "0.02", "sim.cloud", 29.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := costPlanJSON(t, newDir(t, twoSims(tt.onprem, tt.cloud)+fleet))
			if len(p.Changes) != 2 || p.Cost == nil {
				t.Fatalf("want 2 changes and a cost, got %+v", p)
			}
			for _, c := range p.Changes {
				if c.Provider != tt.want || c.Cost == nil || c.Cost.MonthlyDelta != tt.each {
					t.Errorf("%s: provider %s cost %+v; want %s at %v", c.Address, c.Provider, c.Cost, tt.want, tt.each)
				}
			}
			if p.Cost.Currency != "USD" || p.Cost.MonthlyDelta != 2*tt.each {
				t.Errorf("plan cost %+v, want USD %v", p.Cost, 2*tt.each)
			}
		})
	}
}

// burstSpec fills the one on-premises host with the filler fleet, so that
// one VM of web bursts to the cloud.
func burstSpec() string {
	return twoSims("0.01", "0.03") + `
variable "filler" {
  type    = number
  default = 1
}

fleet "filler" {
  provider  = provider.sim.onprem
  count     = var.filler
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}

fleet "web" {
  provider   = provider.sim.onprem
  count      = 2
  template   = template.ubuntu
  cpu        = 4
  memory_gb  = 8
  depends_on = [fleet.filler]
  placement {
    burst_to = provider.sim.cloud
  }
}
`
}

// TestBurstAndBackThroughTheBinary: what the full on-premises host cannot
// take is created on the burst provider; it stays there while the host is
// full, and a plan after room freed up brings it back, create before
// destroy, with the cost figures of each step.
func TestBurstAndBackThroughTheBinary(t *testing.T) {
	dir := newDir(t, burstSpec())
	golden(t, "cost-burst.txt", nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout)
	p := costPlanJSON(t, dir)
	burst := map[string]string{}
	for _, c := range p.Changes {
		if c.Burst {
			burst[c.Address] = c.Provider
		}
	}
	if len(burst) != 1 || burst["fleet.web[1]"] != "sim.cloud" || p.Cost == nil || p.Cost.MonthlyDelta != 146 {
		t.Fatalf("want fleet.web[1] burst to sim.cloud and +146 a month (2 × 29.20 + 87.60); got %v, %+v", burst, p.Cost)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")

	still := nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan while the host is full")
	if !strings.Contains(still.Stdout, "No changes.") {
		t.Fatalf("the burst VM should stay while the host is full:\n%s", still.Stdout)
	}

	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply without the filler")
	golden(t, "cost-back.txt", nova(t, dir, "plan", "-no-color", "-var", "filler=0").Must(t, 0, "plan").Stdout)
	back := costPlanJSON(t, dir, "-var", "filler=0")
	if len(back.Changes) != 1 {
		t.Fatalf("want one change bringing web[1] back, got %+v", back.Changes)
	}
	c := back.Changes[0]
	if c.Address != "fleet.web[1]" || c.Action != "replace" || c.Provider != "sim.onprem" || !c.CBD || !c.Burst || c.Cost == nil || c.Cost.MonthlyDelta != -58.4 {
		t.Fatalf("want web[1] replaced onto sim.onprem, create before destroy, -58.40 a month; got %+v cost %+v", c, c.Cost)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply bringing it back")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "filler=0").Must(t, 0, "plan after coming back")
}

// TestSizingBadSettings: each bad setting is a diagnostic at its source,
// exit 1.
func TestSizingBadSettings(t *testing.T) {
	base := twoSims("0.01", "0.03")
	tests := []struct{ name, fleet string }{
		{"sizing-unknown", `providers = [provider.sim.cloud, provider.sim.onprem]
  sizing    = "priciest"`},
		{"providers-without-sizing", `providers = [provider.sim.cloud, provider.sim.onprem]`},
		{"provider-and-providers", `provider  = provider.sim.onprem
  providers = [provider.sim.cloud]
  sizing    = "cheapest"`},
		{"providers-twice", `providers = [provider.sim.cloud, provider.sim.cloud]
  sizing    = "cheapest"`},
		{"providers-undeclared", `providers = [provider.sim.cloud, provider.sim.moon]
  sizing    = "cheapest"`},
		{"burst-to-self", `provider  = provider.sim.onprem
  placement { burst_to = provider.sim.onprem }`},
		{"burst-to-undeclared", `provider  = provider.sim.onprem
  placement { burst_to = provider.ec2.main }`},
		{"burst-to-sizing-provider", `providers = [provider.sim.cloud, provider.sim.onprem]
  sizing    = "cheapest"
  placement { burst_to = provider.sim.onprem }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base + "\nfleet \"web\" {\n  " + tt.fleet + "\n  template  = template.ubuntu\n  cpu       = 2\n  memory_gb = 4\n}\n"
			r := nova(t, newDir(t, spec), "plan", "-no-color").Must(t, 1, "plan with "+tt.name)
			golden(t, "cost-bad-"+tt.name+".txt", r.Stderr)
		})
	}
	t.Run("no-price", func(t *testing.T) {
		spec := twoSims("0", "0") + `
fleet "web" {
  providers = [provider.sim.cloud, provider.sim.onprem]
  sizing    = "cheapest"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`
		r := nova(t, newDir(t, spec), "plan", "-no-color").Must(t, 1, "plan with no provider priced")
		golden(t, "cost-bad-no-price.txt", r.Stderr)
	})
	t.Run("burst-to-unmapped", func(t *testing.T) {
		spec := base + `
provider "ec2" "main" {
  region = "us-east-1"
}

fleet "web" {
  provider  = provider.sim.onprem
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  placement { burst_to = provider.ec2.main }
}
`
		r := nova(t, newDir(t, spec), "validate", "-no-color").Must(t, 1, "validate with a burst_to the template cannot map")
		golden(t, "cost-bad-burst-to-unmapped.txt", r.Stderr)
	})
	t.Run("negative-cost", func(t *testing.T) {
		spec := strings.Replace(base, "cost_per_core_hour = 0.01", "cost_per_core_hour = -1", 1) +
			"\nfleet \"web\" {\n  provider  = provider.sim.onprem\n  template  = template.ubuntu\n  cpu       = 2\n  memory_gb = 4\n}\n"
		r := nova(t, newDir(t, spec), "plan", "-no-color").Must(t, 1, "plan with a negative cost")
		golden(t, "cost-bad-negative-cost.txt", r.Stderr)
	})
}
