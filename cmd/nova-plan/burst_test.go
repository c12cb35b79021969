package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// burstFleets is burstSpec with web's count a variable (var.count) and
// more placement settings; web is declared before filler when webFirst, so
// that web's changes come first in plan order.
func burstFleets(webFirst bool, placement string) string {
	filler := `
fleet "filler" {
  provider  = provider.sim.onprem
  count     = var.filler
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}
`
	web := `
fleet "web" {
  provider   = provider.sim.onprem
  count      = var.count
  template   = template.ubuntu
  cpu        = 4
  memory_gb  = 8
  depends_on = [fleet.filler]
  placement {
    burst_to = provider.sim.cloud
    ` + placement + `
  }
}
`
	fleets := filler + web
	if webFirst {
		fleets = web + filler
	}
	return twoSims("0.01", "0.03") + `
variable "filler" {
  type    = number
  default = 1
}

variable "count" {
  type    = number
  default = 2
}
` + fleets
}

// burstChange is one change of a plan -json, as the burst tests compare it.
type burstChange struct{ address, action, provider string }

// burstChanges lists a plan's changes.
func burstChanges(p costPlan) []burstChange {
	var out []burstChange
	for _, c := range p.Changes {
		out = append(out, burstChange{c.Address, c.Action, c.Provider})
	}
	return out
}

func sameChanges(t *testing.T, what string, got, want []burstChange) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: changes %v, want %v", what, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: changes %v, want %v", what, got, want)
		}
	}
}

// TestBurstVMNameAndImport: a burst VM that `state rm` let go is a VM of
// the fleet's name on its burst_to provider: the plan refuses to create a
// second one there, as it would at home, and `nova-plan import` finds it
// there by its id (which the home provider has too, for another VM).
func TestBurstVMNameAndImport(t *testing.T) {
	dir := newDir(t, burstFleets(false, ""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
	nova(t, dir, "state", "rm", "fleet.web[1]").Must(t, 0, "state rm")
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan after state rm of the burst VM")
	for _, want := range []string{"VM name already in use", `named "web-1" on provider sim.cloud`, `id = "vm-000001"`} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, r.Stderr)
		}
	}
	nova(t, dir, "import", "-no-color", "fleet.web[1]", "vm-000001").Must(t, 0, "import of the burst VM")
	inv := nova(t, dir, "inventory", "-no-color").Must(t, 0, "inventory").Stdout
	var named []string
	for _, line := range strings.Split(inv, "\n") {
		if strings.Contains(line, " web-1 ") {
			named = append(named, strings.Join(strings.Fields(line), " "))
		}
	}
	if len(named) != 1 || !strings.HasPrefix(named[0], "sim.cloud vm-000001 web-1 ") || !strings.HasSuffix(named[0], " fleet.web[1]") {
		t.Fatalf("want one web-1, on sim.cloud, managed as fleet.web[1]; inventory:\n%s", inv)
	}
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan after the import")
}

// TestBurstPlacesAfterWhatCannot: a fleet that may burst gives way to one
// that cannot, whatever its placement settings (which had the placer
// place it first) and the order of the spec.
func TestBurstPlacesAfterWhatCannot(t *testing.T) {
	for _, setting := range []string{`spread_by = "host"`, `prefer = "spread"`, ""} {
		for _, webFirst := range []bool{false, true} {
			dir := newDir(t, burstFleets(webFirst, setting))
			sameChanges(t, setting, burstChanges(costPlanJSON(t, dir)), []burstChange{
				{"fleet.filler[0]", "create", "sim.onprem"}, {"fleet.web[0]", "create", "sim.onprem"}, {"fleet.web[1]", "create", "sim.cloud"},
			})
		}
	}
}

// TestBurstHomecomingYields: bringing a burst VM home is optional. A new VM
// of a fleet that cannot burst takes the room first, and a new VM of the
// same fleet does too (rather than bringing one home to burst the other).
func TestBurstHomecomingYields(t *testing.T) {
	t.Run("to another fleet", func(t *testing.T) {
		dir := newDir(t, burstFleets(false, ""))
		nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=2").Must(t, 0, "apply bursting both web VMs")
		nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=1").Must(t, 0, "apply freeing room")
		writeSpec(t, dir, burstFleets(true, "")) // web's moves home first in plan order
		sameChanges(t, "filler back to 2", burstChanges(costPlanJSON(t, dir, "-var", "filler=2")), []burstChange{
			{"fleet.filler[1]", "create", "sim.onprem"},
		})
	})
	t.Run("to a new VM of its fleet", func(t *testing.T) {
		dir := newDir(t, burstFleets(false, ""))
		nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply bursting web[1]")
		nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply freeing room")
		sameChanges(t, "one more web VM", burstChanges(costPlanJSON(t, dir, "-var", "filler=0", "-var", "count=3")), []burstChange{
			{"fleet.web[2]", "create", "sim.onprem"},
		})
	})
}

// TestBurstFailureSaysWhy: a VM neither home nor burst_to can take names
// the hosts of both; a burst VM whose burst_to is gone is said to be there.
func TestBurstFailureSaysWhy(t *testing.T) {
	tests := []struct{ name, spec string }{
		{"burst-full", strings.Replace(burstFleets(false, ""), "host_cpu           = 64", "host_cpu           = 2", 1)},
		{"burst-labels", burstFleets(false, `host_labels = { gpu = "yes" }`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nova(t, newDir(t, tt.spec), "plan", "-no-color").Must(t, 1, "plan")
			golden(t, "cost-"+tt.name+".txt", r.Stderr)
		})
	}
	t.Run("burst-to-removed", func(t *testing.T) {
		dir := newDir(t, burstFleets(false, ""))
		nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
		writeSpec(t, dir, strings.Replace(burstFleets(false, ""), "burst_to = provider.sim.cloud", "", 1))
		r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan without burst_to")
		golden(t, "cost-burst-to-removed.txt", r.Stderr)
	})
}

// TestBurstOrphanAdoptedAfterKillNine: an apply killed while EC2 starts the
// burst VM leaves an instance carrying the marker and a state without it:
// the next plan adopts it on EC2, as it would at home, and creates and
// deletes nothing.
func TestBurstOrphanAdoptedAfterKillNine(t *testing.T) {
	s := startEC2(t, 3*time.Second)
	dir := newDir(t, ec2BurstSpec(s))
	cmd, out := start(t, dir, "apply", "-auto-approve")
	waitFor(t, "the burst instance", time.Minute, func() bool { return len(s.Live()) == 1 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if strings.Contains(out.String(), "fleet.web: Creation complete") {
		t.Fatalf("the apply finished the burst create before the kill:\n%s", out)
	}
	var web []burstChange
	for _, c := range burstChanges(costPlanJSON(t, dir)) {
		if c.action == "create" || c.action == "delete" {
			t.Errorf("after the kill the plan would %s %s on %s: want only adopts", c.action, c.address, c.provider)
		}
		if c.address == "fleet.web" {
			web = append(web, c)
		}
	}
	sameChanges(t, "fleet.web", web, []burstChange{{"fleet.web", "adopt", "ec2.main"}})
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply after the kill")
	if n := len(s.Live()); n != 1 {
		t.Errorf("the EC2 server holds %d instances, want the 1 adopted", n)
	}
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan after adopting")
}

// TestSizingOrphanAdopted: a sizing fleet's VM that an apply made on one of
// its providers and did not save (the state put back as it was before, as
// a kill before the save leaves it) is adopted there even once prices have
// the fleet on another provider: not deleted and created again.
func TestSizingOrphanAdopted(t *testing.T) {
	fleets := `
variable "count" {
  type    = number
  default = 0
}

fleet "keep" {
  provider  = provider.sim.onprem
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}

fleet "batch" {
  providers = [provider.sim.cloud, provider.sim.onprem]
  sizing    = "cheapest"
  count     = var.count
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`
	dir := newDir(t, twoSims("0.01", "0.005")+fleets)
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply without batch")
	statePath := filepath.Join(dir, ".nova", "state.json")
	before := readFile(t, statePath)
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "count=1").Must(t, 0, "apply of batch[0] on the cloud, then cheaper")
	if err := os.WriteFile(statePath, before, 0o600); err != nil {
		t.Fatal(err)
	}
	writeSpec(t, dir, twoSims("0.01", "0.03")+fleets) // on-premises is cheaper now
	sameChanges(t, "after the lost save", burstChanges(costPlanJSON(t, dir, "-var", "count=1")), []burstChange{
		{"fleet.batch[0]", "adopt", "sim.cloud"},
	})
}
