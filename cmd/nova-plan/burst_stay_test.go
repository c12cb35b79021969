package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stayPlan is the part of plan -json the burst tests read.
type stayPlan struct {
	Changes []stayChange `json:"changes"`
}

type stayChange struct {
	Address          string   `json:"address"`
	Action           string   `json:"action"`
	Provider         string   `json:"provider"`
	PreviousProvider string   `json:"previous_provider"`
	Burst            bool     `json:"burst"`
	CBD              bool     `json:"create_before_destroy"`
	Reasons          []string `json:"reasons"`
	Before, After    *struct {
		CPU      int    `json:"cpu"`
		Template string `json:"template"`
	}
}

// String is a change as the tests compare it.
func (c stayChange) String() string {
	s := c.Action + " " + c.Address + " on " + c.Provider
	if c.PreviousProvider != "" {
		s += " from " + c.PreviousProvider
	}
	if c.Before != nil && c.After != nil && c.Before.CPU != c.After.CPU {
		s += " cpu " + strconv.Itoa(c.Before.CPU) + "→" + strconv.Itoa(c.After.CPU)
	}
	if c.Burst {
		s += " burst"
	}
	if c.CBD {
		s += " cbd"
	}
	return s
}

func stayPlanJSON(t *testing.T, dir string, args ...string) (stayPlan, []string) {
	t.Helper()
	r := nova(t, dir, append([]string{"plan", "-json"}, args...)...).Must(t, 0, "plan -json "+strings.Join(args, " "))
	var p stayPlan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json: %v\n%s", err, r.Stdout)
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.String())
	}
	return p, got
}

// stayFleet is a fleet whose first VM fills the one 12-vCPU host of
// sim.onprem beside the filler, so that fleet.web[1] bursts to sim.cloud.
func stayFleet(burstTo bool) string {
	placement := "  placement {\n    burst_to = provider.sim.cloud\n  }\n"
	if !burstTo {
		placement = ""
	}
	return `provider "sim" "onprem" {
  hosts              = 1
  host_cpu           = 12
  host_memory_gb     = 64
  cost_per_core_hour = 0.01
}

provider "sim" "cloud" {
  hosts              = 2
  host_cpu           = 64
  host_memory_gb     = 256
  cost_per_core_hour = 0.03
}

variable "image" {
  type    = string
  default = "ubuntu"
}

template "ubuntu" {
  sim { image = var.image }
}

variable "filler" {
  type    = number
  default = 1
}

variable "web_cpu" {
  type    = number
  default = 4
}

fleet "filler" {
  provider  = provider.sim.onprem
  count     = var.filler
  template  = template.ubuntu
  cpu       = 6
  memory_gb = 4
}

fleet "web" {
  provider   = provider.sim.onprem
  count      = 2
  template   = template.ubuntu
  cpu        = var.web_cpu
  memory_gb  = 4
  depends_on = [fleet.filler]
` + placement + "}\n"
}

// TestBurstVMThatStaysGetsItsChanges: a burst VM whose home still has no
// room stays on the burst provider and gets there what the spec asks of it
// (an update for cpu, a replace there for a new template), diffed against
// the VM as it runs there; a plan that gives home room for the new size
// brings it back with it, one that does not keeps it there with it; and a
// fleet that drops burst_to plans a clear move home, or says why it cannot.
func TestBurstVMThatStaysGetsItsChanges(t *testing.T) {
	dir := newDir(t, stayFleet(true))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
	if _, got := stayPlanJSON(t, dir); len(got) != 0 {
		t.Fatalf("applied spec plans %v", got)
	}
	cases := []struct {
		name   string
		args   []string
		want   []string
		reason string // a reason of the last change
	}{
		{"cpu while home is full", []string{"-var", "web_cpu=5"}, []string{
			"update fleet.web[0] on sim.onprem cpu 4→5",
			"update fleet.web[1] on sim.cloud cpu 4→5 burst",
		}, "stays on burst provider sim.cloud: no host of sim.onprem has room for it"},
		{"template while home is full", []string{"-var", "image=debian"}, []string{
			"replace fleet.filler[0] on sim.onprem",
			"replace fleet.web[0] on sim.onprem",
			"replace fleet.web[1] on sim.cloud burst",
		}, "stays on burst provider sim.cloud"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, got := stayPlanJSON(t, dir, c.args...)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("plan %v:\n got %q\nwant %q", c.args, got, c.want)
			}
			last := p.Changes[len(p.Changes)-1]
			if !strings.Contains(strings.Join(last.Reasons, "\n"), c.reason) {
				t.Errorf("reasons %q do not say %q", last.Reasons, c.reason)
			}
		})
	}
	golden(t, "burst-stay-update.txt", nova(t, dir, "plan", "-no-color", "-var", "web_cpu=5").Must(t, 0, "plan").Stdout)

	// The update reaches the burst VM: the next plan has nothing to do.
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "web_cpu=5").Must(t, 0, "apply the cpu change")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "web_cpu=5").Must(t, 0, "plan after the update")

	// Deleting the filler frees no room in its own plan: web[1] stays, unchanged.
	if _, got := stayPlanJSON(t, dir, "-var", "filler=0", "-var", "web_cpu=5"); strings.Join(got, ",") != "delete fleet.filler[0] on sim.onprem" {
		t.Fatalf("plan without the filler: %q", got)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0", "-var", "web_cpu=5").Must(t, 0, "apply without the filler")

	// Home (12 vCPUs) now holds web[0] (5).
	room := []struct {
		name string
		args []string
		want []string
	}{
		{"room back and a cpu change", []string{"-var", "filler=0", "-var", "web_cpu=6"}, []string{
			"update fleet.web[0] on sim.onprem cpu 5→6",
			"replace fleet.web[1] on sim.onprem from sim.cloud cpu 5→6 burst cbd",
		}},
		{"room for the old size, not the new", []string{"-var", "filler=0", "-var", "web_cpu=7"}, []string{
			"update fleet.web[0] on sim.onprem cpu 5→7",
			"update fleet.web[1] on sim.cloud cpu 5→7 burst",
		}},
	}
	for _, c := range room {
		t.Run(c.name, func(t *testing.T) {
			if _, got := stayPlanJSON(t, dir, c.args...); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("plan %v:\n got %q\nwant %q", c.args, got, c.want)
			}
		})
	}

	// The fleet drops burst_to: the VM is moved home, or the plan says why it cannot be.
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(stayFleet(false)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("burst_to dropped, room at home", func(t *testing.T) {
		p, got := stayPlanJSON(t, dir, "-var", "filler=0", "-var", "web_cpu=5")
		if strings.Join(got, ",") != "replace fleet.web[1] on sim.onprem from sim.cloud" {
			t.Fatalf("got %q, want web[1] replaced onto sim.onprem (destroy, then create)", got)
		}
		if r := strings.Join(p.Changes[0].Reasons, "\n"); !strings.Contains(r, "provider changes from sim.cloud to sim.onprem") {
			t.Errorf("reasons %q", r)
		}
	})
	t.Run("burst_to dropped, no room at home", func(t *testing.T) {
		r := nova(t, dir, "plan", "-no-color", "-var", "filler=0", "-var", "web_cpu=7").Must(t, 1, "plan")
		want := "fleet.web[1] runs on provider sim.cloud today, and the plan moves it to sim.onprem, the fleet's provider: placement.burst_to does not name sim.cloud, so it cannot stay there while sim.onprem is full (burst_to = provider.sim.cloud lets it stay)."
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
		}
		golden(t, "burst-dropped-no-room.txt", r.Stderr)
	})
}

// TestBurstScaleDown: lowering count deletes the highest indices, wherever
// they run: a burst VM with a lower index is kept (an address is a VM's
// identity), here web[0], larger than any host of home.
func TestBurstScaleDown(t *testing.T) {
	spec := strings.Replace(stayFleet(true), "  count      = 2\n", "  count      = var.web_count\n", 1) + `
variable "web_count" {
  type    = number
  default = 2
}
`
	spec = strings.Replace(spec, "cpu        = var.web_cpu", "cpu        = count.index == 0 ? 16 : 4", 1)
	dir := newDir(t, spec)
	_, got := stayPlanJSON(t, dir)
	want := "create fleet.filler[0] on sim.onprem,create fleet.web[0] on sim.cloud burst,create fleet.web[1] on sim.onprem"
	if strings.Join(got, ",") != want {
		t.Fatalf("first plan %q, want %q", got, want)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
	if _, got := stayPlanJSON(t, dir, "-var", "web_count=1"); strings.Join(got, ",") != "delete fleet.web[1] on sim.onprem" {
		t.Fatalf("scale down to 1: %q, want the delete of web[1], the VM at home", got)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "web_count=1").Must(t, 0, "apply the scale-down")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "web_count=1").Must(t, 0, "plan after the scale-down")
}
