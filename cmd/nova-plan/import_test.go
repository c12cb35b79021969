package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// importSpec is a fleet of two on the default provider; the import block,
// when given, adopts the VM whose id is var.legacy into fleet.web[0].
func importSpec(withBlock bool) string {
	s := `
variable "legacy" {
  type    = string
  default = ""
}

provider "sim" "lab" {
  hosts = 3
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 1
}
`
	if withBlock {
		s += `
import {
  to = fleet.web[0]
  id = var.legacy
}
`
	}
	return s
}

// jsonImportPlan reads the parts of plan -json an import shows.
type jsonImportPlan struct {
	Changes []struct {
		Address   string `json:"address"`
		Action    string `json:"action"`
		ID        string `json:"id"`
		Importing *struct {
			ID string `json:"id"`
		} `json:"importing"`
	} `json:"changes"`
}

// An import block plans an adopt, reviewed like any change, followed by
// what makes the VM match the spec; the apply writes the workspace's
// marker on the VM and records it in state, and the block then does
// nothing more.
func TestImportBlock(t *testing.T) {
	dir := newDir(t, importSpec(false))
	vm := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "web-0", CPU: 1, MemoryMiB: 1024})
	r := nova(t, dir, "plan").Must(t, 1, "plan while an unmanaged VM has a planned name")
	if want := `adopt it with an import block (to = fleet.web[0], id = "` + vm.ID + `")`; !strings.Contains(r.Stderr, want) {
		t.Errorf("the name conflict does not suggest the import:\n%s", r.Stderr)
	}

	writeSpec(t, dir, importSpec(true))
	r = nova(t, dir, "plan", "-var", "legacy="+vm.ID).Must(t, 0, "plan with the import block")
	for _, want := range []string{"# fleet.web[0] will be imported", "cpu       = 1 → 2", "Plan: 1 to adopt, 1 to add, 1 to change, 0 to destroy"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("the plan lacks %q:\n%s", want, r.Stdout)
		}
	}
	r = nova(t, dir, "plan", "-json", "-var", "legacy="+vm.ID).Must(t, 0, "plan -json")
	var p jsonImportPlan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Address+" "+c.Action)
		if c.Action == "adopt" && (c.Importing == nil || c.Importing.ID != vm.ID) {
			t.Errorf("the adopt's importing is %+v; want id %s", c.Importing, vm.ID)
		}
	}
	if want := "fleet.web[0] adopt,fleet.web[0] update,fleet.web[1] create"; strings.Join(got, ",") != want {
		t.Errorf("plan -json changes %v; want %s", got, want)
	}

	r = nova(t, dir, "apply", "-auto-approve", "-var", "legacy="+vm.ID).Must(t, 0, "apply the import")
	if !strings.Contains(r.Stdout, "Apply complete! VMs: 1 adopted, 1 added, 1 changed") {
		t.Errorf("the apply summary:\n%s", r.Stdout)
	}
	for _, v := range inventory(t, dir, "-var", "legacy="+vm.ID).VMs {
		if v.ID == vm.ID && (v.Address != "fleet.web[0]" || v.CPU != 2) {
			t.Errorf("the imported VM is %+v; want it managed as fleet.web[0] with 2 vCPU", v)
		}
	}
	nova(t, dir, "plan", "-detailed-exitcode", "-var", "legacy="+vm.ID).Must(t, 0, "plan after the import, the block still there")
}

// `nova-plan import ADDRESS ID` adopts one VM without asking, and only
// adopts it: the next plan shows the rest. It respects the lock, and
// refuses what an import block refuses.
func TestImportCommand(t *testing.T) {
	dir := newDir(t, importSpec(false))
	vm := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "web-0", CPU: 1, MemoryMiB: 1024})

	for _, tc := range []struct{ args, want []string }{
		{[]string{"fleet.web"}, []string{"import needs the address to import into and the VM's id"}},
		{[]string{"fleet.web[", vm.ID}, []string{"Invalid address", "is not a VM address"}},
		{[]string{"fleet.web[7]", vm.ID}, []string{"Import into an address the spec does not declare"}},
		{[]string{"fleet.web[0]", "vm-999999"}, []string{"VM to import not found", `no VM with id "vm-999999"`}},
	} {
		r := nova(t, dir, append([]string{"import"}, tc.args...)...).Must(t, 1, "import "+strings.Join(tc.args, " "))
		for _, w := range tc.want {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("import %v: stderr lacks %q:\n%s", tc.args, w, r.Stderr)
			}
		}
	}

	store := local.New(filepath.Join(dir, ".nova"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	id, err := store.Lock(ctx, state.LockInfo{Operation: "test", Who: "the test"})
	if err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "import", "fleet.web[0]", vm.ID).Must(t, 1, "import while the state is locked")
	if !strings.Contains(r.Stderr, "State is locked by the test") {
		t.Errorf("import ignored the lock:\n%s", r.Stderr)
	}
	if err := store.Unlock(id); err != nil {
		t.Fatal(err)
	}

	r = nova(t, dir, "import", "fleet.web[0]", vm.ID).Must(t, 0, "import")
	for _, want := range []string{"# fleet.web[0] will be imported", "Import successful! fleet.web[0] now manages VM " + vm.ID} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, r.Stdout)
		}
	}
	p := planJSON(t, dir)
	if got := strings.Join(p.actions(), ","); got != "fleet.web[0] update,fleet.web[1] create" {
		t.Errorf("the plan after the import is %q; want the update of the imported VM and the other create", got)
	}
	history, _ := os.ReadFile(filepath.Join(dir, ".nova", "history.jsonl"))
	if !strings.Contains(string(history), `"operation":"import"`) || !strings.Contains(string(history), `"action":"adopt","outcome":"ok"`) {
		t.Errorf("the import left no audit record:\n%s", history)
	}
	r = nova(t, dir, "import", "fleet.web[0]", vm.ID).Must(t, 1, "import again")
	if !strings.Contains(r.Stderr, "Already imported") {
		t.Errorf("a second import:\n%s", r.Stderr)
	}
}

// A VM carrying another workspace's marker is refused, naming that
// workspace, unless the import is forced: -force-import for an import
// block, -force for the import command. A VM this workspace abandoned with
// `state rm` can be imported back without force.
func TestImportAnotherWorkspacesVM(t *testing.T) {
	theirs := &driver.Marker{Address: "vm.theirs", Lineage: "5f1c2a9e-their-lineage", SpecHash: "0123456789abcdef"}
	for _, how := range []string{"block", "command"} {
		t.Run(how, func(t *testing.T) {
			dir := newDir(t, importSpec(how == "block"))
			vm := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "web-0", CPU: 2, MemoryMiB: 1024, Marker: *theirs})
			refused, forced := []string{"plan", "-var", "legacy=" + vm.ID}, []string{"apply", "-auto-approve", "-force-import", "-var", "legacy=" + vm.ID}
			if how == "command" {
				refused, forced = []string{"import", "fleet.web[0]", vm.ID}, []string{"import", "-force", "fleet.web[0]", vm.ID}
			}
			r := nova(t, dir, refused...).Must(t, 1, strings.Join(refused, " "))
			for _, want := range []string{"VM belongs to another workspace", "state lineage 5f1c2a9e-their-lineage, address vm.theirs"} {
				if !strings.Contains(r.Stderr, want) {
					t.Errorf("the refusal lacks %q:\n%s", want, r.Stderr)
				}
			}
			nova(t, dir, forced...).Must(t, 0, strings.Join(forced, " "))
			for _, v := range inventory(t, dir, "-var", "legacy="+vm.ID).VMs {
				if v.ID == vm.ID && v.Address != "fleet.web[0]" {
					t.Errorf("after the forced import the VM is managed as %q; want fleet.web[0]", v.Address)
				}
			}
		})
	}
	t.Run("abandoned by this workspace", func(t *testing.T) {
		dir := newDir(t, importSpec(false))
		nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
		nova(t, dir, "state", "rm", "fleet.web[0]").Must(t, 0, "state rm")
		var id string
		for _, v := range inventory(t, dir).VMs {
			if v.Name == "web-0" {
				id = v.ID
			}
		}
		nova(t, dir, "import", "fleet.web[0]", id).Must(t, 0, "import of the abandoned VM")
		nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after taking it back")
		data, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
		if strings.Contains(string(data), `"abandoned"`) {
			t.Errorf("the state still lists the VM as abandoned:\n%s", data)
		}
	})
}

// In an import block, `to` is read as HCL reads a string key: "$${x}" is
// the key ${x}, and "${x}" an interpolation, which a static reference
// cannot hold. It was the other way round: the escaped key was refused and
// the interpolation taken literally. The name conflict suggests the block
// in that escaped form too.
func TestImportBlockKeyWithDollarBrace(t *testing.T) {
	fleet := `
provider "sim" "lab" {
  hosts = 3
}
template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
fleet "web" {
  for_each  = toset(["$${x}"])
  name      = "web-x"
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 1
}
`
	dir := newDir(t, fleet)
	vm := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "web-x", CPU: 2, MemoryMiB: 1024})
	r := nova(t, dir, "plan").Must(t, 1, "plan while web-x exists unmanaged")
	mustSay(t, r.Stderr, `adopt it with an import block (to = fleet.web["$${x}"], id = "`+vm.ID+`")`)

	writeSpec(t, dir, fleet+"import {\n  to = fleet.web[\"${x}\"]\n  id = \""+vm.ID+"\"\n}\n")
	r = nova(t, dir, "validate").Must(t, 1, "validate with an interpolation in to")
	mustSay(t, r.Stderr, "Invalid import address", "a key cannot hold an interpolation", "write them $${ and %%{")

	writeSpec(t, dir, fleet+"import {\n  to = fleet.web[\"$${x}\"]\n  id = \""+vm.ID+"\"\n}\n")
	r = nova(t, dir, "plan").Must(t, 0, "plan with the escaped key")
	mustSay(t, r.Stdout, `# fleet.web["${x}"] will be imported`, "Plan: 1 to adopt, 0 to add, 0 to change, 0 to destroy")
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the import")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the import")
}

// The name conflict with another workspace's VM suggests an import block;
// such an import is refused unless forced, so the suggestion says so.
func TestNameInUseSuggestsForceImport(t *testing.T) {
	dir := newDir(t, importSpec(false))
	theirs := driver.Marker{Address: "vm.theirs", Lineage: "5f1c2a9e-their-lineage", SpecHash: "0123456789abcdef"}
	vm := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "web-0", CPU: 2, MemoryMiB: 1024, Marker: theirs})
	r := nova(t, dir, "plan").Must(t, 1, "plan while another workspace's VM has a planned name")
	mustSay(t, r.Stderr, "VM name already in use", `adopt it with an import block (to = fleet.web[0], id = "`+vm.ID+`")`,
		"first `nova-plan state rm` it there, then plan and apply the import with -force-import")
}

// `nova-plan import` has no block: its refusals point at no source (they
// printed "on  line 0:"), and say what to do from the command line. An id
// in the wrong case names the VM it meant.
func TestImportCommandMessages(t *testing.T) {
	dir := newDir(t, importSpec(false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	byName := map[string]string{}
	for _, v := range inventory(t, dir).VMs {
		byName[v.Name] = v.ID
	}
	loose := handMade(t, dir, defaultSimConfig, driver.VMSpec{Name: "loose", CPU: 2, MemoryMiB: 1024})
	nova(t, dir, "state", "rm", "fleet.web[1]").Must(t, 0, "state rm")
	for _, tc := range []struct {
		args, want []string
	}{
		{[]string{"fleet.web[0]", strings.ToUpper(loose.ID)}, []string{"VM to import not found",
			fmt.Sprintf("Ids are case-sensitive, and VM %s (\"loose\") has this id in other letters", loose.ID), "import it as " + loose.ID}},
		{[]string{"fleet.web[0]", loose.ID}, []string{"Import into an address already managed",
			"Nothing was imported. To import it there all the same, first stop managing VM " + byName["web-0"] + " with `nova-plan state rm fleet.web[0]`"}},
		{[]string{"fleet.web[1]", byName["web-0"]}, []string{"VM already managed",
			"first `nova-plan state rm fleet.web[0]`: the VM keeps running, and the state forgets it; then import it again."}},
	} {
		r := nova(t, dir, append([]string{"import"}, tc.args...)...).Must(t, 1, "import "+strings.Join(tc.args, " "))
		mustSay(t, r.Stderr, tc.want...)
		for _, bad := range []string{"line 0", "Remove the import", "remove fleet.web[0] from the spec"} {
			if strings.Contains(r.Stderr, bad) {
				t.Errorf("import %v says %q:\n%s", tc.args, bad, r.Stderr)
			}
		}
	}
}

// A VM whose disk size its provider cannot tell (0) is imported and then
// planned without a disk change: every plan said "~ disk_gb = 0 → 20",
// and every apply failed. show says the size is unknown.
func TestImportUnknownDiskSize(t *testing.T) {
	dir := newDir(t, importSpec(false))
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: filepath.Join(dir, ".nova"), Config: defaultSimConfig})
	if err != nil {
		t.Fatal(err)
	}
	vm, err := d.Create(context.Background(), driver.VMSpec{Name: "web-0", CPU: 2, MemoryMiB: 1024,
		Template: driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}}})
	if err != nil || d.Close() != nil {
		t.Fatal(err)
	}
	nova(t, dir, "import", "fleet.web[0]", vm.ID).Must(t, 0, "import")
	p := planJSON(t, dir)
	if got := strings.Join(p.actions(), ","); got != "fleet.web[1] create" {
		t.Errorf("the plan after importing a VM of unknown disk size is %q; want only the other VM's create", got)
	}
	r := nova(t, dir, "show").Must(t, 0, "show")
	mustSay(t, r.Stdout, "disk_gb   = (unknown)")
}
