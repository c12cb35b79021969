package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mvSpec is a fleet and a vm on the simulator; the VMs' names are set, so
// renaming the fleet block keeps them. fleet is the fleet block's name.
func mvSpec(fleet string) string {
	return `
provider "sim" "lab" {
  hosts = 2
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "` + fleet + `" {
  count      = 3
  name       = "web-${count.index}"
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 2
}

vm "db" {
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 2
  depends_on = [fleet.` + fleet + `]
}
`
}

// markers returns each live VM's address from its ownership marker, by id.
func markers(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, vm := range inventory(t, dir).VMs {
		out[vm.ID] = vm.Address
	}
	return out
}

// stateAddresses returns each VM's address in the state, by id, and checks
// that each record names its own fleet.
func stateAddresses(t *testing.T, dir string) map[string]string {
	t.Helper()
	doc, _ := readStateDoc(t, dir)
	out := map[string]string{}
	for addr, vm := range doc.VMs {
		out[vm.ID] = addr
		if !strings.HasPrefix(addr, vm.Fleet) {
			t.Errorf("the state records %s in fleet %s", addr, vm.Fleet)
		}
	}
	return out
}

// After `state mv fleet.web fleet.frontend` and the same rename in the
// spec, the plan shows no changes: the state and every VM's marker name the
// new addresses, and the VMs that depended on the fleet depend on its new
// address.
func TestStateMvFleetThenNoChanges(t *testing.T) {
	dir := newDir(t, mvSpec("web"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids := stateIDs(t, dir)
	r := nova(t, dir, "state", "mv", "fleet.web", "fleet.frontend").Must(t, 0, "state mv fleet.web fleet.frontend")
	for i, w := range []string{"Moved fleet.web[0] to fleet.frontend[0]", "Moved fleet.web[2] to fleet.frontend[2]"} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("state mv does not say %q (%d):\n%s", w, i, r.Stdout)
		}
	}
	if !strings.Contains(r.Stderr, "The spec does not declare fleet.frontend") || !strings.Contains(r.Stderr, "The spec still declares fleet.web") {
		t.Errorf("state mv does not say what the next plan shows while the spec names fleet.web:\n%s", r.Stderr)
	}
	want := map[string]string{
		ids["fleet.web[0]"]: "fleet.frontend[0]", ids["fleet.web[1]"]: "fleet.frontend[1]", ids["fleet.web[2]"]: "fleet.frontend[2]",
		ids["vm.db"]: "vm.db",
	}
	if diff := cmp.Diff(want, stateAddresses(t, dir)); diff != "" {
		t.Errorf("state addresses by id (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, markers(t, dir)); diff != "" {
		t.Errorf("marker addresses by id (-want +got):\n%s", diff)
	}
	doc, _ := readStateDoc(t, dir)
	if diff := cmp.Diff([]string{"fleet.frontend"}, doc.VMs["vm.db"].DependsOn); diff != "" {
		t.Errorf("vm.db depends_on (-want +got):\n%s", diff)
	}

	// The spec still names fleet.web: the plan would delete and create.
	p := planJSON(t, dir)
	if got := p.actions(); !slices.Contains(got, "fleet.frontend[0] delete") || !slices.Contains(got, "fleet.web[0] create") {
		t.Errorf("with the spec unchanged the plan should delete fleet.frontend and create fleet.web; it is %v", got)
	}
	writeSpec(t, dir, mvSpec("frontend"))
	r = nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after renaming the fleet in the spec")
	if !strings.Contains(r.Stdout, "No changes.") {
		t.Errorf("the plan after state mv and the spec's rename is not empty:\n%s", r.Stdout)
	}
}

// One VM moves to a vm block's address; its marker follows, and a history
// record says from where to where.
func TestStateMvInstance(t *testing.T) {
	dir := newDir(t, mvSpec("web"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids := stateIDs(t, dir)
	nova(t, dir, "state", "mv", "fleet.web[0]", "vm.legacy").Must(t, 0, "state mv fleet.web[0] vm.legacy")
	id := ids["fleet.web[0]"]
	if got := stateAddresses(t, dir)[id]; got != "vm.legacy" {
		t.Errorf("the state records VM %s at %s, want vm.legacy", id, got)
	}
	if got := markers(t, dir)[id]; got != "vm.legacy" {
		t.Errorf("VM %s's marker names %s, want vm.legacy", id, got)
	}
	r := nova(t, dir, "history", "-json", "-address=vm.legacy").Must(t, 0, "history -address=vm.legacy")
	var h struct {
		Records []struct {
			Kind, Operation, Address, Action, Outcome string
		} `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &h); err != nil {
		t.Fatalf("history -json: %v\n%s", err, r.Stdout)
	}
	if len(h.Records) != 1 || h.Records[0].Kind != "state mv" || h.Records[0].Action != "move from fleet.web[0]" || h.Records[0].Outcome != "ok" {
		t.Errorf("history of vm.legacy = %+v, want one state mv record from fleet.web[0]", h.Records)
	}
	// The old address finds the record too.
	r = nova(t, dir, "history", "-address=fleet.web[0]").Must(t, 0, "history -address=fleet.web[0]")
	if !strings.Contains(r.Stdout, "state mv  vm.legacy  move from fleet.web[0]  ok") {
		t.Errorf("history of fleet.web[0] does not show the move:\n%s", r.Stdout)
	}
}

// Moves that make no sense are refused, saying why, and change nothing.
func TestStateMvRefused(t *testing.T) {
	dir := newDir(t, mvSpec("web"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	_, stored := readStateDoc(t, dir)
	before := markers(t, dir)
	tests := []struct {
		src, dst string
		want     string
	}{
		{"fleet.web[0]", "fleet.web[1]", "already records a VM at fleet.web[1]"},
		{"fleet.web[0]", "vm.db", "already records a VM at vm.db"},
		{"fleet.web", "vm.db", "vm block, which is one VM"},
		{"fleet.nope", "fleet.other", "records no VM at fleet.nope"},
		{"fleet.web[7]", "fleet.other[7]", "records no VM at fleet.web[7]"},
		{"fleet.web", "fleet.frontend[0]", "fleet.web is a fleet of 3 VMs in the state, and fleet.frontend[0] names one VM"},
		{"fleet.web[0]", "vm.x[0]", "its address takes no index or key"},
		{"vm.db", "fleet.web", "fleet.web is a fleet in the state"},
		{"fleet.web[0]", "fleet.web[0]", "both the source and the destination"},
		{"fleet.web[", "fleet.x", "The source address"},
		{"fleet.web", strings.Repeat("module.m.", 9) + "fleet.web", "modules nest at most 8 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.src+" "+tt.dst, func(t *testing.T) {
			r := nova(t, dir, "state", "mv", tt.src, tt.dst).Must(t, 1, "state mv")
			if !strings.Contains(r.Stderr, tt.want) {
				t.Errorf("the refusal does not say %q:\n%s", tt.want, r.Stderr)
			}
			if _, now := readStateDoc(t, dir); string(now) != string(stored) {
				t.Errorf("a refused move changed the state")
			}
		})
	}
	if diff := cmp.Diff(before, markers(t, dir)); diff != "" {
		t.Errorf("refused moves changed markers (-before +after):\n%s", diff)
	}
}
