package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

const twoWeb = `
fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`

// Reasons the diff gives, spelled out once.
const (
	whyAdopt    = " carries this address's ownership marker but is not in state (an apply was interrupted before saving it): adopt it, do not create it again"
	whyDup      = "a second VM carries this address's ownership marker (left by an interrupted replace or apply); the VM in state is kept"
	whyStray    = "carries this workspace's ownership marker but is not in state and not wanted (left by an interrupted apply)"
	whyNotFound = "not found: no VM carries this address's marker"
)

// TestDiffOwnership covers how live VMs are matched to addresses by state
// and by marker: adoption, duplicates, vanished VMs, and deletes of what
// the workspace owns but no longer wants.
func TestDiffOwnership(t *testing.T) {
	tests := []struct {
		name  string
		spec  string // default twoWeb
		setup func(t *testing.T, f *fixture)
		want  []row
	}{{
		name:  "found by marker, not in state: adopt",
		setup: func(t *testing.T, f *fixture) { delete(f.state.VMs, "fleet.web[1]") },
		want:  []row{{"fleet.web[1]", plan.Adopt, "vm-0002", []string{"VM vm-0002" + whyAdopt}, ""}},
	}, {
		name: "adopt, then update what differs",
		setup: func(t *testing.T, f *fixture) {
			delete(f.state.VMs, "fleet.web[1]")
			f.vm(t, "vm-0002").CPU = 1
		},
		want: []row{
			{"fleet.web[1]", plan.Adopt, "vm-0002", []string{"VM vm-0002" + whyAdopt}, ""},
			{"fleet.web[1]", plan.Update, "vm-0002", []string{"cpu 1 → 2"}, ""},
		},
	}, {
		name: "two VMs with one marker: the one in state is kept",
		setup: func(t *testing.T, f *fixture) {
			dup := *f.vm(t, "vm-0001")
			dup.ID = "vm-0000"
			f.vms = append(f.vms, dup)
		},
		want: []row{{"fleet.web[0]", plan.Delete, "vm-0000", []string{whyDup}, ""}},
	}, {
		name: "two VMs with one marker, neither in state: adopt one, delete the other",
		setup: func(t *testing.T, f *fixture) {
			delete(f.state.VMs, "fleet.web[0]")
			dup := *f.vm(t, "vm-0001")
			dup.ID = "vm-0009"
			f.vms = append(f.vms, dup)
		},
		want: []row{
			{"fleet.web[0]", plan.Delete, "vm-0009", []string{whyDup}, ""},
			{"fleet.web[0]", plan.Adopt, "vm-0001", []string{"VM vm-0001" + whyAdopt}, ""},
		},
	}, {
		name:  "the VM in state vanished: create",
		setup: func(t *testing.T, f *fixture) { f.vms = f.vms[1:] },
		want:  []row{{"fleet.web[0]", plan.Create, "", []string{"VM vm-0001 recorded in state no longer exists"}, "host hv-01"}},
	}, {
		// An apply recreated a vanished VM and crashed before saving
		// it: state still names the vanished one.
		name: "the VM in state vanished and another carries the marker: adopt it",
		setup: func(t *testing.T, f *fixture) {
			f.vm(t, "vm-0001").ID = "vm-0005"
		},
		want: []row{{"fleet.web[0]", plan.Adopt, "vm-0005", []string{"VM vm-0005" + whyAdopt}, ""}},
	}, {
		name: "address left the spec: delete",
		spec: `
fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`,
		setup: func(t *testing.T, f *fixture) {}, // twoWeb was applied
		want:  []row{{"fleet.web[1]", plan.Delete, "vm-0002", []string{"no longer in the spec"}, ""}},
	}, {
		name: "address left the spec and its VM is not in the inventory: the driver cleans up, state forgets",
		setup: func(t *testing.T, f *fixture) {
			f.state.VMs["fleet.old[0]"] = &state.VM{Provider: pk, ID: "vm-0077", Fleet: "fleet.old", Name: "old-0", CPU: 1, MemoryMiB: gib, Power: "running"}
		},
		want: []row{{"fleet.old[0]", plan.Delete, "vm-0077", []string{"no longer in the spec; VM vm-0077 is not in the provider's inventory: the driver is asked to remove what may be left of it, and the state forgets it"}, ""}},
	}, {
		name: "marked VM, not in state, not wanted: delete",
		setup: func(t *testing.T, f *fixture) {
			addVM(f, "fleet.old[3]", "vm-0050")
		},
		want: []row{{"fleet.old[3]", plan.Delete, "vm-0050", []string{whyStray}, ""}},
	}, {
		name: "abandoned VMs are neither adopted nor deleted",
		setup: func(t *testing.T, f *fixture) {
			f.vm(t, "vm-0002").Name = "web-1-abandoned"
			delete(f.state.VMs, "fleet.web[1]")
			addVM(f, "fleet.old[0]", "vm-0003")
			f.state.Abandoned = []state.Ref{{Provider: pk, ID: "vm-0002"}, {Provider: pk, ID: "vm-0003"}}
		},
		want: []row{{"fleet.web[1]", plan.Create, "", []string{whyNotFound}, "host hv-01"}},
	}, {
		name: "VMs of another lineage and unmarked VMs are not touched",
		setup: func(t *testing.T, f *fixture) {
			f.vms = append(f.vms,
				driver.VM{ID: "vm-0100", Name: "theirs", Host: "hv-02", CPU: 1, MemoryMiB: gib,
					Marker: &driver.Marker{Address: "fleet.web[0]", Lineage: "lin-other"}},
				driver.VM{ID: "vm-0101", Name: "pet", Host: "hv-02", CPU: 1, MemoryMiB: gib})
		},
		want: []row{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			if spec == "" {
				spec = twoWeb
			}
			f := applied(t, twoWeb)
			f.spec = loadSpec(t, spec)
			tt.setup(t, f)
			if diff := cmp.Diff(tt.want, rows(mustDiff(t, f.input()))); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// addVM adds a live 1 vCPU VM marked for addr and not in state.
func addVM(f *fixture, addr, id string) {
	f.vms = append(f.vms, driver.VM{
		ID: id, Name: "vm-for-" + addr, Host: "hv-02", CPU: 1, MemoryMiB: gib, DiskGB: 20, Power: driver.PowerRunning,
		Template: ubuntuID, Marker: &driver.Marker{Address: addr, Lineage: lineage, SpecHash: "0123456789abcdef"},
	})
}

// TestDiffNameConflict: a VM this workspace does not own already has the
// name a create needs.
func TestDiffNameConflict(t *testing.T) {
	tests := []struct {
		name   string
		marker *driver.Marker
		owner  string
		force  string // what the import needs besides the block
		// abandoned: the state's abandoned list names the VM.
		abandoned bool
	}{
		{"unmarked", nil, "it carries no NovaCron marker", "", false},
		{
			"another lineage", &driver.Marker{Address: "fleet.web[1]", Lineage: "lin-other"}, "its marker belongs to another workspace (lineage lin-other)",
			"; as it belongs to another workspace, first `nova-plan state rm` it there, then plan and apply the import with -force-import", true,
		},
		{
			"abandoned with state rm", &driver.Marker{Address: "fleet.web[1]", Lineage: lineage},
			"it was removed from this workspace's management with `state rm` or by a removed block", "", true,
		},
		{
			"forgotten by a removed block, marker cleared", nil,
			"it was removed from this workspace's management with `state rm` or by a removed block", "", true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, twoWeb)
			delete(f.state.VMs, "fleet.web[1]")
			vm := f.vm(t, "vm-0002")
			vm.Marker = tt.marker
			if tt.abandoned {
				f.state.Abandoned = []state.Ref{{Provider: pk, ID: "vm-0002"}}
			}
			p, diags := plan.Diff(f.input())
			want := []diagRow{{
				hcl.DiagError, "VM name already in use",
				`fleet.web[1] would create a VM named "web-1" on provider sim.lab, but VM vm-0002 already has that name and ` +
					tt.owner + ". Rename the VM in the spec, remove or rename the existing one, or adopt it with an import block (to = fleet.web[1], id = \"vm-0002\")" + tt.force + ".",
				"main.nova.hcl:10",
			}}
			if diff := cmp.Diff(want, diagRows(diags)); diff != "" || p != nil {
				t.Errorf("Diff returned plan %v and diagnostics (-want +got):\n%s", p, diff)
			}
		})
	}
}
