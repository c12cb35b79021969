package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

const threeFleets = `
vm "db" {
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}
fleet "web" {
  count      = 2
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 4
  depends_on = [vm.db]
}
fleet "cache" {
  count     = 1
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 2
}
`

func addresses(p *plan.Plan) []string {
	out := []string{}
	for _, c := range p.Changes {
		out = append(out, c.Action.String()+" "+c.Address)
	}
	return out
}

// TestDiffTargets narrows plans with -target: a target brings the fleets it
// depends on; for a destroy, the fleets that depend on it.
func TestDiffTargets(t *testing.T) {
	tests := []struct {
		name    string
		applied bool // the spec is applied (else nothing exists)
		destroy bool
		targets []string
		want    []string
	}{
		{"a fleet and what it depends on", false, false, []string{"fleet.web"}, []string{"create fleet.web[0]", "create fleet.web[1]", "create vm.db"}},
		{"an instance and its fleet's dependencies", false, false, []string{"fleet.web[1]"}, []string{"create fleet.web[1]", "create vm.db"}},
		{"a fleet without dependencies", false, false, []string{"vm.db"}, []string{"create vm.db"}},
		{"several targets", false, false, []string{"fleet.cache", "vm.db"}, []string{"create fleet.cache[0]", "create vm.db"}},
		{"destroy brings the dependents", true, true, []string{"vm.db"}, []string{"delete fleet.web[0]", "delete fleet.web[1]", "delete vm.db"}},
		{"destroy of a dependent alone", true, true, []string{"fleet.web"}, []string{"delete fleet.web[0]", "delete fleet.web[1]"}},
		{"destroy of a VM the spec names but nothing made", false, true, []string{"fleet.web[1]"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fixture{spec: loadSpec(t, threeFleets), hosts: hosts(4), caps: simCaps}
			if tt.applied {
				f = applied(t, threeFleets)
			}
			in := f.input()
			in.Destroy, in.Targets = tt.destroy, tt.targets
			p := mustDiff(t, in)
			if diff := cmp.Diff(tt.want, addresses(p)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			related := "what it depends on"
			if tt.destroy {
				related = "what depends on it"
			}
			wantWarning := "Targeting is in effect: the plan covers only " + strings.Join(tt.targets, ", ") + " and " + related
			if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], wantWarning) {
				t.Errorf("warnings %q; want one starting %q", p.Warnings, wantWarning)
			}
		})
	}
}

// TestDiffDestroy deletes everything the workspace owns, and nothing else.
func TestDiffDestroy(t *testing.T) {
	f := applied(t, twoWeb)
	addVM(f, "fleet.gone[0]", "vm-0003")
	f.vms = append(f.vms, driver.VM{ID: "vm-0004", Name: "pet", Host: "hv-01", CPU: 1, MemoryMiB: gib})
	in := f.input()
	in.Destroy = true
	want := []row{
		{"fleet.gone[0]", plan.Delete, "vm-0003", []string{whyStray}, ""},
		{"fleet.web[0]", plan.Delete, "vm-0001", []string{"destroy requested"}, ""},
		{"fleet.web[1]", plan.Delete, "vm-0002", []string{"destroy requested"}, ""},
	}
	if diff := cmp.Diff(want, rows(mustDiff(t, in))); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestDiffReplaceOption(t *testing.T) {
	f := applied(t, twoWeb)
	in := f.input()
	in.Replace = []string{"fleet.web[1]"}
	want := []row{{"fleet.web[1]", plan.Replace, "vm-0002", []string{"replacement requested with -replace"}, "host hv-01"}}
	if diff := cmp.Diff(want, rows(mustDiff(t, in))); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// TestDiffProviderMove replaces a VM whose fleet moved to another provider:
// before is the VM on the old provider, after is placed on the new one.
func TestDiffProviderMove(t *testing.T) {
	f := applied(t, twoWeb)
	old := f.vms[1]
	f.vms = f.vms[:1]
	f.state.VMs["fleet.web[1]"].Provider = "sim.old"
	in := f.input()
	in.Inventories["sim.old"] = driver.Inventory{VMs: []driver.VM{old}, Hosts: hosts(1)}
	p := mustDiff(t, in)
	want := []row{{"fleet.web[1]", plan.Replace, "vm-0002", []string{"provider changes from sim.old to sim.lab"}, "host hv-01"}}
	if diff := cmp.Diff(want, rows(p)); diff != "" {
		t.Fatalf("changes (-want +got):\n%s", diff)
	}
	if c := p.Changes[0]; c.Before.Provider != "sim.old" || c.After.Provider != pk || c.Marker == nil {
		t.Errorf("replace goes from %s to %s with marker %v; want sim.old to sim.lab with a marker", c.Before.Provider, c.After.Provider, c.Marker)
	}
}

// TestDiffErrors covers the diffs that must fail, and what they say.
func TestDiffErrors(t *testing.T) {
	guarded := webSpec(`lifecycle {`, `prevent_destroy = true`, `}`)
	tests := []struct {
		name  string
		spec  string // applied
		input func(t *testing.T, f *fixture, in *plan.Input)
		want  []diagRow
	}{{
		name: "prevent_destroy stops a replace", spec: guarded,
		input: func(t *testing.T, f *fixture, in *plan.Input) { f.vm(t, "vm-0001").DiskGB = 99 },
		want: []diagRow{{hcl.DiagError, "VM cannot be destroyed",
			"The plan would replace fleet.web[0] (disk shrinks from 99 GB to 40 GB: a disk cannot shrink in place), but fleet.web sets lifecycle.prevent_destroy. Change the spec so the VM is kept, or remove prevent_destroy.",
			"main.nova.hcl:10"}},
	}, {
		name: "prevent_destroy stops a destroy", spec: guarded,
		input: func(t *testing.T, f *fixture, in *plan.Input) { in.Destroy = true },
		want: []diagRow{{hcl.DiagError, "VM cannot be destroyed",
			"The plan would delete fleet.web[0] (destroy requested), but fleet.web sets lifecycle.prevent_destroy. Change the spec so the VM is kept, or remove prevent_destroy.",
			"main.nova.hcl:10"}},
	}, {
		name: "unknown -target", spec: twoWeb,
		input: func(t *testing.T, f *fixture, in *plan.Input) { in.Targets = []string{"fleet.web", "fleet.nope"} },
		want:  []diagRow{{hcl.DiagError, "Invalid -target address", "-target=fleet.nope matches no fleet or VM in the spec or state.", ""}},
	}, {
		name: "unknown -replace", spec: twoWeb,
		input: func(t *testing.T, f *fixture, in *plan.Input) { in.Replace = []string{"fleet.web"} },
		want: []diagRow{{hcl.DiagError, "Invalid -replace address",
			"-replace=fleet.web names no VM in the spec; give an instance address such as fleet.web[0].", ""}},
	}, {
		name: "no host can take a new VM", spec: twoWeb,
		input: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vms = f.vms[:1]
			in.Inventories[pk] = driver.Inventory{VMs: f.vms, Hosts: []driver.Host{
				{Name: "hv-01", CPU: 3, MemoryMiB: 64 * gib}, {Name: "hv-02", CPU: 1, MemoryMiB: 64 * gib},
			}}
		},
		want: []diagRow{{hcl.DiagError, "No host can take the VM",
			"fleet.web[1] needs 2 vCPU and 4 GiB on provider sim.lab, and no host can take it:\n" +
				"  - hv-01: insufficient capacity on hv-01: needs 2 vCPU and 4 GiB, has 1 vCPU and 60 GiB free\n" +
				"  - hv-02: larger than hv-02's whole capacity: needs 2 vCPU and 4 GiB, the host has 1 vCPU and 64 GiB in all",
			"main.nova.hcl:10"}},
	}, {
		name: "a migration to a full host", spec: webSpec(`host = "hv-02"`),
		input: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0001").Host = "hv-01"
			f.vms = append(f.vms, driver.VM{ID: "vm-0100", Name: "pet", Host: "hv-02", CPU: 31, MemoryMiB: gib})
			in.Inventories[pk] = driver.Inventory{VMs: f.vms, Hosts: f.hosts}
		},
		want: []diagRow{{hcl.DiagError, "Not enough capacity for the change",
			"fleet.web[0] cannot migrate: insufficient capacity on hv-02: needs 2 vCPU and 4 GiB, has 1 vCPU and 127 GiB free.",
			"main.nova.hcl:10"}},
	}, {
		name: "the provider of VMs in state left the spec", spec: twoWeb,
		input: func(t *testing.T, f *fixture, in *plan.Input) {
			f.state.VMs["vm.legacy"] = &state.VM{Provider: "sim.old", ID: "vm-0009", Fleet: "vm.legacy", Name: "legacy", Power: "running"}
		},
		want: []diagRow{{hcl.DiagError, "Provider missing for a VM in state",
			"State records vm.legacy on provider sim.old, which the spec does not declare. Keep the provider block until its VMs are deleted.", ""}},
	}, {
		name: "a provider's inventory was not read", spec: twoWeb,
		input: func(t *testing.T, f *fixture, in *plan.Input) {
			in.Inventories = map[string]driver.Inventory{}
			f.state = nil
			in.State = nil
		},
		want: []diagRow{{hcl.DiagError, "No inventory", "The inventory of provider sim.lab was not read.", "main.nova.hcl:10"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, tt.spec)
			in := f.input()
			tt.input(t, f, &in)
			p, diags := plan.Diff(in)
			if diff := cmp.Diff(tt.want, diagRows(diags)); diff != "" || p != nil {
				t.Errorf("Diff returned plan %v and diagnostics (-want +got):\n%s", p, diff)
			}
		})
	}
}

// TestDiffTargetsSkipPreventDestroy: prevent_destroy guards the changes a
// plan makes, so a change that -target leaves out does not fail the plan.
func TestDiffTargetsSkipPreventDestroy(t *testing.T) {
	guarded := `
fleet "keep" {
  count     = %d
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
  lifecycle {
    prevent_destroy = true
  }
}
`
	f := applied(t, fmt.Sprintf(guarded, 2))
	f.spec = loadSpec(t, fmt.Sprintf(guarded, 1)+twoWeb)
	in := f.input()
	in.Targets = []string{"fleet.web"}
	if diff := cmp.Diff([]string{"create fleet.web[0]", "create fleet.web[1]"}, addresses(mustDiff(t, in))); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	in.Targets = []string{"fleet.keep"}
	if _, diags := plan.Diff(in); len(diags) != 1 || diags[0].Summary != "VM cannot be destroyed" {
		t.Errorf("Diff targeting the guarded fleet: %s; want the prevent_destroy error", diagText(diags))
	}
}
