package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver/sim"
)

// TestStateFromSchemaVersion0: a state written by the provider before
// lineages (schema version 0: no lineage, vms with nine values per VM,
// template_id in plain text), with VMs that carry that version's
// name-derived lineage, upgrades without a change to plan or a VM
// replaced, and the resources then keep working: the upgrade keeps the
// lineage the markers carry, so the destroy deletes every VM.
func TestStateFromSchemaVersion0(t *testing.T) {
	data := t.TempDir()
	w := bareWorkdir(t, data, `
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 3
  template       = { image = "u" }
  cpu            = 1
  memory_gb      = 1
}
resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db"
  template  = { image = "u" }
  cpu       = 1
  memory_gb = 1
}
`)
	w.run(0, "apply", "-auto-approve")
	before := ids(simVMs(t, data))
	path := filepath.Join(w.dir, "terraform.tfstate")
	writeVersion0(t, path)
	markVersion0(t, data)
	w.run(0, "plan", "-detailed-exitcode")
	w.run(0, "apply", "-auto-approve", "-refresh-only")
	if got := ids(simVMs(t, data)); len(got) != 4 || got[0] != before[0] || got[3] != before[3] {
		t.Errorf("the upgrade changed the VMs: %v, want %v", got, before)
	}
	w.write("main.tf", readFile(t, filepath.Join(w.dir, "main.tf"))+"\n# a change\n")
	w.run(0, "plan", "-detailed-exitcode")
	w.run(0, "destroy", "-auto-approve")
	if n := len(simVMs(t, data)); n != 0 {
		t.Errorf("%d VMs left after destroy", n)
	}
}

// markVersion0 gives the sim's VMs the markers provider versions before
// lineages wrote: the lineage terraform:TYPE:NAME, the same for every
// configuration with a resource of that name.
func markVersion0(t *testing.T, dataDir string) {
	t.Helper()
	data, err := sim.ReadSnapshotJSON(dataDir, "lab")
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	for _, v := range snap["vms"].([]any) {
		m, _ := v.(map[string]any)["marker"].(map[string]any)
		if m == nil {
			continue
		}
		if addr, _ := m["address"].(string); strings.HasPrefix(addr, "fleet.web[") {
			m["lineage"] = "terraform:novacron_fleet:web"
		} else {
			m["lineage"] = "terraform:novacron_vm:db"
		}
	}
	out, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.WriteSnapshotJSON(dataDir, "lab", out); err != nil {
		t.Fatal(err)
	}
}

// writeVersion0 rewrites a state file as provider versions before lineages
// wrote it.
func writeVersion0(t *testing.T, path string) {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal([]byte(readFile(t, path)), &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st["resources"].([]any) {
		for _, in := range r.(map[string]any)["instances"].([]any) {
			inst := in.(map[string]any)
			inst["schema_version"] = 0
			delete(inst, "private")
			attrs := inst["attributes"].(map[string]any)
			delete(attrs, "lineage")
			delete(attrs, "sensitive_template")
			attrs["template_id"] = `image="u"`
			if vms, ok := attrs["vms"].(map[string]any); ok {
				delete(attrs, "template_id")
				for _, v := range vms {
					vm := v.(map[string]any)
					vm["cpu"], vm["memory_gb"], vm["disk_gb"], vm["power"], vm["template_id"] = 1, 1, 20, "running", `image="u"`
				}
				attrs["changes"] = []any{map[string]any{"address": "fleet.web[0]", "name": "web-0", "action": "create", "batch": 0, "reasons": "x"}}
			}
		}
	}
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
