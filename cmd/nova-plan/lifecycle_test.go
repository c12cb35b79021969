package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fleetSpec is a two-fleet spec on the simulator; the knobs are what the
// lifecycle tests change between applies.
type fleetSpec struct {
	webCount int
	webCPU   int
	image    string
	dbHost   string
	withWeb  bool
	latency  string
}

func defaultSpec() fleetSpec {
	return fleetSpec{webCount: 3, webCPU: 2, image: "ubuntu-22.04", dbHost: "hv-01", withWeb: true, latency: "0s"}
}

func (s fleetSpec) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, `
provider "sim" "lab" {
  hosts   = 3
  latency = %q
}

template "ubuntu" {
  sim { image = %q }
}

vm "db-01" {
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
  host      = %q
}
`, s.latency, s.image, s.dbHost)
	if s.withWeb {
		fmt.Fprintf(&b, `
fleet "web" {
  count      = %d
  template   = template.ubuntu
  cpu        = %d
  memory_gb  = 2
  depends_on = [vm.db-01]
  placement { spread_by = "host" }
  rollout { batch_size = 2 }
}
`, s.webCount, s.webCPU)
	}
	return b.String()
}

func TestPlanApplyThenNoChanges(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	r := nova(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "first plan")
	if !strings.Contains(r.Stdout, "Plan: 4 to add, 0 to change, 0 to destroy, 0 to migrate.") {
		t.Errorf("first plan summary missing:\n%s", r.Stdout)
	}
	r = nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if !strings.Contains(r.Stdout, "Apply complete! VMs: 4 added") {
		t.Errorf("apply summary missing:\n%s", r.Stdout)
	}
	r = nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after apply")
	if !strings.Contains(r.Stdout, "No changes.") {
		t.Errorf("second plan is not empty:\n%s", r.Stdout)
	}
	inv := inventory(t, dir)
	var addrs []string
	for _, vm := range inv.VMs {
		addrs = append(addrs, vm.Address)
	}
	slices.Sort(addrs)
	want := []string{"fleet.web[0]", "fleet.web[1]", "fleet.web[2]", "vm.db-01"}
	if diff := cmp.Diff(want, addrs); diff != "" {
		t.Errorf("inventory addresses (-want +got):\n%s", diff)
	}
}

// applySpec writes s and applies it, failing the test unless it succeeds.
func applySpec(t *testing.T, dir string, s fleetSpec) {
	t.Helper()
	writeSpec(t, dir, s.String())
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
}

func TestChangesPlanTheRightActions(t *testing.T) {
	cases := []struct {
		name   string
		change func(*fleetSpec)
		want   []string
	}{
		{"size change updates", func(s *fleetSpec) { s.webCPU = 4 },
			[]string{"fleet.web[0] update", "fleet.web[1] update", "fleet.web[2] update"}},
		{"template change replaces", func(s *fleetSpec) { s.image = "ubuntu-24.04" },
			[]string{"fleet.web[0] replace", "fleet.web[1] replace", "fleet.web[2] replace", "vm.db-01 replace"}},
		{"host pin change migrates", func(s *fleetSpec) { s.dbHost = "hv-02" },
			[]string{"vm.db-01 migrate"}},
		{"removing a fleet deletes it", func(s *fleetSpec) { s.withWeb = false },
			[]string{"fleet.web[0] delete", "fleet.web[1] delete", "fleet.web[2] delete"}},
		{"scaling down deletes the last", func(s *fleetSpec) { s.webCount = 2 },
			[]string{"fleet.web[2] delete"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := defaultSpec()
			applySpec(t, dir, s)
			tc.change(&s)
			writeSpec(t, dir, s.String())
			p := planJSON(t, dir)
			if diff := cmp.Diff(tc.want, p.actions()); diff != "" {
				t.Fatalf("planned actions (-want +got):\n%s", diff)
			}
			nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the change")
			nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the change")
		})
	}
}

func TestMigrateIsLiveAndMovesTheVM(t *testing.T) {
	dir := t.TempDir()
	s := defaultSpec()
	applySpec(t, dir, s)
	s.dbHost = "hv-03"
	writeSpec(t, dir, s.String())
	p := planJSON(t, dir)
	if len(p.Changes) != 1 || !p.Changes[0].Live || p.Changes[0].After.Host != "hv-03" {
		t.Fatalf("want one live migration to hv-03, got %+v", p.Changes)
	}
	r := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan text")
	if !strings.Contains(r.Stdout, "will be migrated live: hv-01 → hv-03") || !strings.Contains(r.Stdout, "1 to migrate.") {
		t.Errorf("plan text does not show the migration:\n%s", r.Stdout)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply migration")
	for _, vm := range inventory(t, dir).VMs {
		if vm.Address == "vm.db-01" && vm.Host != "hv-03" {
			t.Errorf("vm.db-01 runs on %s after the migration, want hv-03", vm.Host)
		}
	}
}

func TestRolloutBatchesUpdates(t *testing.T) {
	dir := t.TempDir()
	s := defaultSpec()
	s.webCount = 6
	applySpec(t, dir, s)
	s.webCPU = 3
	writeSpec(t, dir, s.String())
	var batches []int
	for _, c := range planJSON(t, dir).Changes {
		batches = append(batches, c.Batch)
	}
	if diff := cmp.Diff([]int{1, 1, 2, 2, 3, 3}, batches); diff != "" {
		t.Errorf("rollout batches (-want +got):\n%s", diff)
	}
}

func TestDestroyDeletesEverything(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	nova(t, dir, "destroy").Must(t, 1, "destroy without approval") // stdin is empty: not approved
	if n := len(inventory(t, dir).VMs); n != 4 {
		t.Fatalf("an unapproved destroy changed the inventory: %d VMs", n)
	}
	r := novaIn(t, dir, "yes\n", "destroy").Must(t, 0, "destroy approved with yes")
	if !strings.Contains(r.Stdout, "4 destroyed") {
		t.Errorf("destroy summary:\n%s", r.Stdout)
	}
	if n := len(inventory(t, dir).VMs); n != 0 {
		t.Errorf("after destroy the inventory has %d VMs", n)
	}
	r = nova(t, dir, "state", "list").Must(t, 0, "state list")
	if strings.TrimSpace(r.Stdout) != "" {
		t.Errorf("after destroy the state still lists:\n%s", r.Stdout)
	}
}
