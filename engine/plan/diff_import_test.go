package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// importWeb1 is twoWeb with an import block for fleet.web[1]; the block
// starts on line 17 of main.nova.hcl, its id on line 19.
const importWeb1 = twoWeb + `
import {
  to = fleet.web[1]
  id = "vm-0002"
}
`

// importFixture is twoWeb applied, then fleet.web[1] forgotten: its VM
// vm-0002 (named web-1, as the spec wants) exists without a marker and is
// not in state. The spec imports it.
func importFixture(t *testing.T) *fixture {
	t.Helper()
	f := applied(t, twoWeb)
	f.spec = loadSpec(t, importWeb1)
	delete(f.state.VMs, "fleet.web[1]")
	f.vm(t, "vm-0002").Marker = nil
	return f
}

func importInput(f *fixture) plan.Input {
	in := f.input()
	in.Imports = f.spec.Imports
	return in
}

const whyImport = "the import block at main.nova.hcl:17 adopts VM vm-0002 (\"web-1\") into fleet.web[1]: it gets this workspace's ownership marker"

// TestDiffImport: an import block plans an adopt that writes the marker,
// then whatever else makes the VM match the spec.
func TestDiffImport(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, f *fixture, in *plan.Input)
		want  []row
	}{{
		name: "matches the spec",
		want: []row{{"fleet.web[1]", plan.Adopt, "vm-0002", []string{whyImport}, ""}},
	}, {
		name:  "differs in size: adopt, then update",
		setup: func(t *testing.T, f *fixture, in *plan.Input) { f.vm(t, "vm-0002").CPU = 1 },
		want: []row{
			{"fleet.web[1]", plan.Adopt, "vm-0002", []string{whyImport}, ""},
			{"fleet.web[1]", plan.Update, "vm-0002", []string{"cpu 1 → 2"}, ""},
		},
	}, {
		name: "abandoned by this workspace with state rm: imported back",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "fleet.web[1]", Lineage: lineage, SpecHash: "x"}
			f.state.Abandoned = []state.Ref{{Provider: pk, ID: "vm-0002"}}
		},
		want: []row{{"fleet.web[1]", plan.Adopt, "vm-0002", []string{whyImport}, ""}},
	}, {
		name: "another workspace's marker, forced",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "vm.theirs", Lineage: "lin-other", SpecHash: "x"}
			in.ForceImport = true
		},
		want: []row{{"fleet.web[1]", plan.Adopt, "vm-0002", []string{whyImport,
			"it is taken over from another workspace (lineage lin-other, address vm.theirs), as the import was forced"}, ""}},
	}, {
		name: "a VM carrying this address's marker is deleted: the import wins",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			addVM(f, "fleet.web[1]", "vm-0003")
		},
		want: []row{
			{"fleet.web[1]", plan.Delete, "vm-0003", []string{"carries this address's ownership marker (left by an interrupted apply), and VM vm-0002 is imported into the address instead"}, ""},
			{"fleet.web[1]", plan.Adopt, "vm-0002", []string{whyImport}, ""},
		},
	}, {
		name: "a new name, with -replace: adopt, then replace",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0002").Name = "legacy"
			in.Replace = []string{"fleet.web[1]"}
		},
		want: []row{
			{"fleet.web[1]", plan.Adopt, "vm-0002", []string{`the import block at main.nova.hcl:17 adopts VM vm-0002 ("legacy") into fleet.web[1]: it gets this workspace's ownership marker`}, ""},
			{"fleet.web[1]", plan.Replace, "vm-0002", []string{`name changes from "legacy" to "web-1": a VM is renamed by replacing it`, "replacement requested with -replace"}, "host hv-01"},
		},
	}, {
		name: "already imported: the block stays and changes nothing",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			vm := f.vm(t, "vm-0002")
			vm.Marker = &driver.Marker{Address: "fleet.web[1]", Lineage: lineage}
			f.state.VMs["fleet.web[1]"] = record(instance(t, f.spec, "fleet.web[1]"), *vm)
		},
		want: []row{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := importFixture(t)
			in := importInput(f)
			if tt.setup != nil {
				tt.setup(t, f, &in)
			}
			in.Inventories = f.input().Inventories
			p := mustDiff(t, in)
			if diff := cmp.Diff(tt.want, rows(p)); diff != "" {
				t.Fatalf("changes (-want +got):\n%s", diff)
			}
			for _, c := range p.Changes {
				if c.Action != plan.Adopt {
					continue
				}
				want := &driver.Marker{Address: "fleet.web[1]", Lineage: lineage, SpecHash: plan.SpecHash(instance(t, f.spec, "fleet.web[1]"))}
				if !c.Imported || !cmp.Equal(c.Marker, want) {
					t.Errorf("the adopt has Imported %v and marker %+v; want an import writing %+v", c.Imported, c.Marker, want)
				}
			}
		})
	}
}

// TestDiffImportRefused: what an import block may not do, each reported
// at the block.
func TestDiffImportRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, f *fixture, in *plan.Input)
		want  diagRow
	}{{
		name:  "no such VM",
		setup: func(t *testing.T, f *fixture, in *plan.Input) { f.vms = f.vms[:1] },
		want: diagRow{hcl.DiagError, "VM to import not found",
			`Provider sim.lab has no VM with id "vm-0002", so it cannot be imported into fleet.web[1]. ` +
				"`nova-plan inventory` lists the VMs and their ids.", "main.nova.hcl:19"},
	}, {
		name: "the address manages another VM",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.state.VMs["fleet.web[1]"] = record(instance(t, f.spec, "fleet.web[1]"), driver.VM{ID: "vm-0099", Name: "web-1"})
		},
		want: diagRow{hcl.DiagError, "Import into an address already managed",
			"fleet.web[1] already manages VM vm-0099 on provider sim.lab; importing VM vm-0002 there would leave that VM unmanaged. " +
				"Remove the import block, or first stop managing VM vm-0099 with `nova-plan state rm fleet.web[1]` (it keeps running, unmanaged).", "main.nova.hcl:18"},
	}, {
		name: "the VM is managed at another address",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.state.VMs["vm.other"] = &state.VM{Provider: pk, ID: "vm-0002", Fleet: "vm.other", Name: "web-1"}
		},
		want: diagRow{hcl.DiagError, "VM already managed",
			"VM vm-0002 (web-1) is already managed by this workspace as vm.other, so it cannot be imported into fleet.web[1] too. " +
				"To manage it at the new address instead, first `nova-plan state rm vm.other`: the VM keeps running, and the state forgets it; then plan the import again. " +
				"(Removing vm.other from the spec instead would destroy the VM.)", "main.nova.hcl:19"},
	}, {
		name: "the VM is managed at another address by its marker alone",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "vm.other", Lineage: lineage, SpecHash: "x"}
		},
		want: diagRow{hcl.DiagError, "VM already managed",
			"VM vm-0002 (web-1) is already managed by this workspace as vm.other, so it cannot be imported into fleet.web[1] too. " +
				"It carries this workspace's ownership marker for vm.other (an interrupted apply made it and did not save the state), so the next apply adopts it there. " +
				"To manage it elsewhere, apply first, then `nova-plan state rm vm.other` (the VM keeps running), then plan the import again.", "main.nova.hcl:19"},
	}, {
		name:  "an id that differs only in case",
		setup: func(t *testing.T, f *fixture, in *plan.Input) { f.vm(t, "vm-0002").ID = "VM-0002" },
		want: diagRow{hcl.DiagError, "VM to import not found",
			`Provider sim.lab has no VM with id "vm-0002", so it cannot be imported into fleet.web[1]. ` +
				`Ids are case-sensitive, and VM VM-0002 ("web-1") has this id in other letters (libvirt's UUIDs, for one, are lower case): import it as VM-0002.`, "main.nova.hcl:19"},
	}, {
		name: "another workspace's marker",
		setup: func(t *testing.T, f *fixture, in *plan.Input) {
			f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "vm.theirs", Lineage: "lin-other", SpecHash: "x"}
		},
		want: diagRow{hcl.DiagError, "VM belongs to another workspace",
			"VM vm-0002 (web-1) carries the ownership marker of another workspace: state lineage lin-other, address vm.theirs. " +
				"That workspace still manages it (by its state or by that marker), so importing it here would leave two workspaces changing one VM. " +
				"Run `nova-plan state rm vm.theirs` in that workspace first, then import with -force-import (plan, apply) or `nova-plan import -force`.",
			"main.nova.hcl:19"},
	}, {
		name:  "the import would replace the VM",
		setup: func(t *testing.T, f *fixture, in *plan.Input) { f.vm(t, "vm-0002").DiskGB = 100 },
		want: diagRow{hcl.DiagError, "Import would replace the VM",
			`Importing VM vm-0002 ("web-1") into fleet.web[1] would destroy it at once and create a new one, because disk shrinks from 100 GB to 20 GB: a disk cannot shrink in place. ` +
				"Make the spec describe the VM as it is (its name, template, disk size, host), or add -replace=fleet.web[1] if replacing it is what you want.",
			"main.nova.hcl:17"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := importFixture(t)
			in := importInput(f)
			tt.setup(t, f, &in)
			in.Inventories = f.input().Inventories
			p, diags := plan.Diff(in)
			if diff := cmp.Diff([]diagRow{tt.want}, diagRows(diags)); diff != "" || p != nil {
				t.Errorf("Diff returned plan %v and diagnostics (-want +got):\n%s", p, diff)
			}
		})
	}
}

// TestDiffImportOnly: `nova-plan import` plans the adopt alone, whatever
// else differs that an update makes match (the next plan shows it), and
// refuses what an import block refuses, a VM the next plan would replace
// included.
func TestDiffImportOnly(t *testing.T) {
	f := importFixture(t)
	f.vm(t, "vm-0002").CPU = 1
	in := f.input()
	in.Imports = []*spec.Import{{Address: "fleet.web[1]", ID: "vm-0002"}}
	p, diags := plan.DiffImport(in)
	if diags.HasErrors() {
		t.Fatalf("DiffImport: %s", diagText(diags))
	}
	want := []row{{"fleet.web[1]", plan.Adopt, "vm-0002", []string{"`nova-plan import` adopts VM vm-0002 (\"web-1\") into fleet.web[1]: it gets this workspace's ownership marker"}, ""}}
	if diff := cmp.Diff(want, rows(p)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	for name, imp := range map[string]*spec.Import{
		"Import into an address the spec does not declare": {Address: "fleet.web[5]", ID: "vm-0002"},
		"VM to import not found":                           {Address: "fleet.web[1]", ID: "vm-0404"},
		"Already imported":                                 {Address: "fleet.web[0]", ID: "vm-0001"},
	} {
		in.Imports = []*spec.Import{imp}
		p, diags := plan.DiffImport(in)
		if len(diags) != 1 || diags[0].Summary != name || p != nil {
			t.Errorf("DiffImport(%s %s) = %v, %s; want the error %q", imp.Address, imp.ID, p, diagText(diags), name)
		}
	}
	f.vm(t, "vm-0002").Name = "legacy" // renaming replaces
	in.Imports = []*spec.Import{{Address: "fleet.web[1]", ID: "vm-0002"}}
	if p, diags := plan.DiffImport(in); len(diags) != 1 || diags[0].Summary != "Import would replace the VM" || p != nil {
		t.Errorf("DiffImport of a VM named otherwise = %v, %s; want it refused", p, diagText(diags))
	}
}
