package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// driftSimConfig is the provider block of driftSpec.
var driftSimConfig = driver.Config{"hosts": int64(3)}

// driftSpec is a fleet of three tagged web VMs and a pinned db VM;
// global and fleet are the bodies of the top-level drift block and of the
// fleet's (none when empty).
func driftSpec(global, fleet string) string {
	s := `
provider "sim" "lab" {
  hosts = 3
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

vm "db-01" {
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
  disk_gb   = 20
  host      = "hv-01"
}

fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
  disk_gb   = 20
  tags      = { owner = "alice", tier = "web" }
` + block(fleet) + `}
` + block(global)
	return s
}

func block(body string) string {
	if body == "" {
		return ""
	}
	return "  drift {\n    " + body + "\n  }\n"
}

// testDrift is the part of `drift -json` the tests read.
type testDrift struct {
	FormatVersion string         `json:"format_version"`
	Drifted       bool           `json:"drifted"`
	Summary       map[string]int `json:"summary"`
	VMs           []struct {
		Address string `json:"address"`
		ID      string `json:"id"`
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Changes []struct {
			Path    string `json:"path"`
			Applied any    `json:"applied"`
			Live    any    `json:"live"`
		} `json:"changes"`
		Ignored []string `json:"ignored"`
	} `json:"vms"`
	Pending []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
		Changes []struct {
			Path    string `json:"path"`
			Applied any    `json:"applied"`
			Spec    any    `json:"spec"`
		} `json:"changes"`
	} `json:"pending"`
}

func driftJSONOf(t *testing.T, dir string, wantCode int) testDrift {
	t.Helper()
	r := nova(t, dir, "drift", "-json", "-detailed-exitcode").Must(t, wantCode, "drift -json")
	var d testDrift
	if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
		t.Fatalf("drift -json: %v\n%s", err, r.Stdout)
	}
	if d.FormatVersion != JSONFormatVersion {
		t.Fatalf("drift -json format_version %q, want %q", d.FormatVersion, JSONFormatVersion)
	}
	return d
}

// driftLines flattens a drift document to "address kind path applied→live"
// lines, for cmp.Diff.
func driftLines(d testDrift) []string {
	var out []string
	for _, v := range d.VMs {
		if len(v.Changes) == 0 {
			out = append(out, v.Address+" "+v.Kind+" "+v.Name)
		}
		for _, c := range v.Changes {
			out = append(out, v.Address+" "+v.Kind+" "+c.Path+" "+jsonText(c.Applied)+"→"+jsonText(c.Live))
		}
	}
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func appliedDriftDir(t *testing.T, global, fleet string) string {
	t.Helper()
	dir := newDir(t, driftSpec(global, fleet))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	return dir
}

func TestDriftNoneAfterApply(t *testing.T) {
	dir := appliedDriftDir(t, "", "")
	r := nova(t, dir, "drift", "-detailed-exitcode").Must(t, 0, "drift")
	if !strings.Contains(r.Stdout, "No drift.") {
		t.Errorf("drift after apply says:\n%s", r.Stdout)
	}
	if d := driftJSONOf(t, dir, 0); d.Drifted || len(d.VMs) != 0 || len(d.Pending) != 0 {
		t.Errorf("drift -json after apply: %+v", d)
	}
}

// TestDriftEachKindOnSim changes the simulated VMs behind NovaCron's back
// in every way drift reports, and reads the report as text and JSON.
func TestDriftEachKindOnSim(t *testing.T) {
	dir := appliedDriftDir(t, "", "")
	stateBefore := stateFileText(t, dir)
	lineage := stateLineage(t, stateBefore)
	outOfBand(t, dir, "lab", driftSimConfig, func(d *sim.Driver, vms map[string]driver.VM) {
		ctx := context.Background()
		cpu, mem, disk := 3, int64(3072), 40
		if _, err := d.Update(ctx, vms["web-0"].ID, driver.Changes{CPU: &cpu, MemoryMiB: &mem, DiskGB: &disk, Restart: true}); err != nil {
			t.Fatal(err)
		}
		off := driver.PowerStopped
		if _, err := d.Update(ctx, vms["web-1"].ID, driver.Changes{Power: &off, Tags: map[string]string{"owner": "bob", "team": "x"}}); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx, vms["db-01"].ID, "hv-02", true); err != nil {
			t.Fatal(err)
		}
		if err := d.Delete(ctx, vms["web-2"].ID); err != nil {
			t.Fatal(err)
		}
		for _, spec := range []driver.VMSpec{
			{Name: "web-2", CPU: 1, MemoryMiB: 1024}, // unmanaged, with a managed name
			{Name: "stray", CPU: 1, MemoryMiB: 1024, Marker: driver.Marker{Address: "fleet.web[9]", Lineage: lineage}},
		} {
			spec.DiskGB, spec.Template = 20, driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}}
			if _, err := d.Create(ctx, spec); err != nil {
				t.Fatal(err)
			}
		}
	})
	rebuildFrom(t, dir, "web-0", `image="ubuntu-24.04"`)
	d := driftJSONOf(t, dir, 2)
	want := []string{
		`fleet.web[0] changed cpu 2→3`,
		`fleet.web[0] changed memory_gb 2→3`,
		`fleet.web[0] changed disk_gb 20→40`,
		`fleet.web[0] changed template "image=\"ubuntu-22.04\""→"image=\"ubuntu-24.04\""`,
		`fleet.web[1] changed power "running"→"stopped"`,
		`fleet.web[1] changed tags.owner "alice"→"bob"`,
		`fleet.web[1] changed tags.team null→"x"`,
		`fleet.web[1] changed tags.tier "web"→null`,
		`fleet.web[2] deleted web-2`,
		`fleet.web[2] unmanaged web-2`,
		`fleet.web[9] unrecorded stray`,
		`vm.db-01 changed host "hv-01"→"hv-02"`,
	}
	if diff := cmp.Diff(want, driftLines(d)); diff != "" {
		t.Errorf("drift -json (-want +got):\n%s", diff)
	}
	wantSummary := map[string]int{"changed": 3, "deleted": 1, "unmanaged": 1, "unrecorded": 1}
	if diff := cmp.Diff(wantSummary, d.Summary); diff != "" || !d.Drifted || len(d.Pending) != 0 {
		t.Errorf("drift -json summary (-want +got):\n%s\ndrifted %v, pending %v", diff, d.Drifted, d.Pending)
	}
	r := nova(t, dir, "drift").Must(t, 0, "drift without -detailed-exitcode")
	for _, w := range []string{
		"# fleet.web[0] changed (sim.lab, ", "cpu: 2 → 3", `template: image="ubuntu-22.04" → image="ubuntu-24.04"`, "memory_gb: 2 → 3", "disk_gb: 20 → 40",
		`tags.owner: "alice" → "bob"`, `tags.team: (none) → "x"`, `power: "running" → "stopped"`,
		"# fleet.web[2] was deleted", "# fleet.web[2] has its name taken by an unmanaged VM",
		"# fleet.web[9] has a VM with its marker that the state does not record", `host: "hv-01" → "hv-02"`,
		"Drift: 6 VMs (3 changed, 1 deleted, 1 unmanaged, 1 unrecorded).",
	} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("drift text lacks %q:\n%s", w, r.Stdout)
		}
	}
	if after := stateFileText(t, dir); after != stateBefore {
		t.Errorf("drift changed the state:\nbefore %s\nafter %s", stateBefore, after)
	}
}

// rebuildFrom rewrites the template of the simulated VM named name in the
// sim's snapshot file, as if it had been rebuilt from another image behind
// NovaCron's back (the sim's API cannot change a VM's template).
func rebuildFrom(t *testing.T, dir, name, template string) {
	t.Helper()
	data, err := sim.ReadSnapshotJSON(filepath.Join(dir, ".nova"), "lab")
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatalf("the sim's snapshot: %v", err)
	}
	found := false
	for _, vm := range snap["vms"].([]any) {
		if m := vm.(map[string]any); m["name"] == name {
			m["template"], found = template, true
		}
	}
	if data, err = json.Marshal(snap); err != nil || !found {
		t.Fatalf("rewriting the template of %s: %v (found: %v)", name, err, found)
	}
	if err := sim.WriteSnapshotJSON(filepath.Join(dir, ".nova"), "lab", data); err != nil {
		t.Fatal(err)
	}
}

// TestDriftTakenOver: a VM the state records that another workspace's
// marker now claims is drift of its own kind.
func TestDriftTakenOver(t *testing.T) {
	dir := appliedDriftDir(t, "", "")
	outOfBand(t, dir, "lab", driftSimConfig, func(d *sim.Driver, vms map[string]driver.VM) {
		m := driver.Marker{Address: "vm.db", Lineage: "another-workspace"}
		if _, err := d.Update(context.Background(), vms["db-01"].ID, driver.Changes{Marker: &m}); err != nil {
			t.Fatal(err)
		}
	})
	d := driftJSONOf(t, dir, 2)
	if diff := cmp.Diff([]string{"vm.db-01 taken_over db-01"}, driftLines(d)); diff != "" {
		t.Errorf("drift -json (-want +got):\n%s", diff)
	}
	r := nova(t, dir, "drift").Must(t, 0, "drift")
	if w := "lineage another-workspace, address vm.db"; !strings.Contains(r.Stdout, w) {
		t.Errorf("drift text lacks %q:\n%s", w, r.Stdout)
	}
}

func TestDriftIgnoreRules(t *testing.T) {
	dir := appliedDriftDir(t, `ignore = ["power"]`, `ignore = ["tags.owner", "memory_gb"]`)
	outOfBand(t, dir, "lab", driftSimConfig, func(d *sim.Driver, vms map[string]driver.VM) {
		ctx := context.Background()
		off := driver.PowerStopped
		mem := int64(4096)
		if _, err := d.Update(ctx, vms["web-0"].ID, driver.Changes{Power: &off, MemoryMiB: &mem, Tags: map[string]string{"owner": "bob", "tier": "web"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Update(ctx, vms["db-01"].ID, driver.Changes{Power: &off}); err != nil {
			t.Fatal(err)
		}
	})
	if d := driftJSONOf(t, dir, 0); d.Drifted || len(d.VMs) != 0 {
		t.Fatalf("ignored drift reported: %v", driftLines(d))
	}
	outOfBand(t, dir, "lab", driftSimConfig, func(d *sim.Driver, vms map[string]driver.VM) {
		mem := int64(4096)
		if _, err := d.Update(context.Background(), vms["db-01"].ID, driver.Changes{MemoryMiB: &mem, Tags: map[string]string{"owner": "carol"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Update(context.Background(), vms["web-1"].ID, driver.Changes{Tags: map[string]string{"owner": "bob", "tier": "db"}}); err != nil {
			t.Fatal(err)
		}
	})
	d := driftJSONOf(t, dir, 2)
	want := []string{ // the fleet's rules are not db-01's
		`fleet.web[1] changed tags.tier "web"→"db"`,
		`vm.db-01 changed memory_gb 8→4`,
		`vm.db-01 changed tags.owner null→"carol"`,
	}
	if diff := cmp.Diff(want, driftLines(d)); diff != "" {
		t.Errorf("drift -json (-want +got):\n%s", diff)
	}
	for _, v := range d.VMs {
		want := map[string][]string{"fleet.web[1]": {"tags.owner"}, "vm.db-01": {"power"}}[v.Address]
		if diff := cmp.Diff(want, v.Ignored); diff != "" {
			t.Errorf("%s ignored (-want +got):\n%s", v.Address, diff)
		}
	}
}

func TestDriftIgnoreRulesValidated(t *testing.T) {
	dir := newDir(t, driftSpec(`ignore = ["colour"]`, `ignore = ["tags.", "power"]`))
	for _, cmd := range []string{"validate", "drift", "plan"} {
		r := nova(t, dir, cmd).Must(t, 1, cmd)
		for _, w := range []string{
			`"colour" names no attribute drift reports`, "main.nova.hcl line 30",
			`"tags." names no attribute drift reports`, "main.nova.hcl line 26",
		} {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd, w, r.Stderr)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".nova", "state.json")); err == nil {
		t.Error("a refused drift wrote a state")
	}
}

// TestDriftPendingApart: a spec change is a pending change, not drift.
func TestDriftPendingApart(t *testing.T) {
	dir := appliedDriftDir(t, "", "")
	writeSpec(t, dir, strings.Replace(driftSpec("", ""), "count     = 3", "count     = 4", 1))
	writeSpec(t, dir, strings.Replace(strings.Replace(driftSpec("", ""), "count     = 3", "count     = 4", 1), "cpu       = 2", "cpu       = 3", 1))
	d := driftJSONOf(t, dir, 0)
	var got []string
	for _, p := range d.Pending {
		line := p.Address + " " + p.Action
		for _, c := range p.Changes {
			line += " " + c.Path + " " + jsonText(c.Applied) + "→" + jsonText(c.Spec)
		}
		got = append(got, line)
	}
	want := []string{"fleet.web[0] update cpu 2→3", "fleet.web[1] update cpu 2→3", "fleet.web[2] update cpu 2→3", "fleet.web[3] create"}
	if diff := cmp.Diff(want, got); diff != "" || d.Drifted {
		t.Errorf("pending (-want +got):\n%s\ndrifted: %v", diff, d.Drifted)
	}
	r := nova(t, dir, "drift").Must(t, 0, "drift")
	for _, w := range []string{"No drift.", "Pending changes", "~ fleet.web[0] update: cpu 2 → 3", "+ fleet.web[3] create"} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("drift text lacks %q:\n%s", w, r.Stdout)
		}
	}
}

func TestDriftRefusesArguments(t *testing.T) {
	dir := appliedDriftDir(t, "", "")
	r := nova(t, dir, "drift", "extra").Must(t, 1, "drift extra")
	if !strings.Contains(r.Stderr, "drift takes no arguments") {
		t.Errorf("stderr: %s", r.Stderr)
	}
}

func stateFileText(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func stateLineage(t *testing.T, doc string) string {
	t.Helper()
	var st struct {
		Lineage string `json:"lineage"`
	}
	if err := json.Unmarshal([]byte(doc), &st); err != nil || st.Lineage == "" {
		t.Fatalf("state lineage: %v in %s", err, doc)
	}
	return st.Lineage
}
