package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}

// TestPlanOutputGolden holds the text and JSON renderings of every action.
func TestPlanOutputGolden(t *testing.T) {
	dir := t.TempDir()
	s := defaultSpec()
	writeSpec(t, dir, s.String())
	golden(t, "create.txt", nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout)
	golden(t, "create.json", nova(t, dir, "plan", "-json").Must(t, 0, "plan -json").Stdout)
	nova(t, dir, "apply", "-auto-approve", "-parallelism=1").Must(t, 0, "apply")

	s.webCPU, s.dbHost, s.webCount = 3, "hv-02", 2
	writeSpec(t, dir, s.String())
	golden(t, "change.txt", nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout)
	golden(t, "change.json", nova(t, dir, "plan", "-json").Must(t, 0, "plan -json").Stdout)

	s = defaultSpec()
	s.image = "ubuntu-24.04"
	writeSpec(t, dir, s.String())
	golden(t, "replace.txt", nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout)
}

// TestJSONContract checks the documented shape of every -json document
// (docs/json-format.md): the keys are a promise to scripts.
func TestJSONContract(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan -out")
	for _, doc := range []string{
		nova(t, dir, "plan", "-json").Must(t, 0, "plan -json").Stdout,
		nova(t, dir, "show", "-json", "p.plan").Must(t, 0, "show -json").Stdout,
	} {
		var m map[string]any
		mustJSON(t, doc, &m)
		wantKeys(t, "plan document", m, "format_version", "changes", "summary", "warnings")
		summary := m["summary"].(map[string]any)
		wantKeys(t, "summary", summary, "create", "update", "replace", "delete", "migrate", "start", "stop", "adopt")
		for _, c := range m["changes"].([]any) {
			wantKeys(t, "change", c.(map[string]any), "address", "action", "provider", "before", "after", "reasons")
		}
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	var inv struct {
		FormatVersion string           `json:"format_version"`
		VMs           []map[string]any `json:"vms"`
	}
	mustJSON(t, nova(t, dir, "inventory", "-json").Must(t, 0, "inventory -json").Stdout, &inv)
	if len(inv.VMs) != 4 || inv.FormatVersion != JSONFormatVersion {
		t.Fatalf("inventory -json lists %d VMs with format_version %q, want 4 and %s", len(inv.VMs), inv.FormatVersion, JSONFormatVersion)
	}
	for _, vm := range inv.VMs {
		wantKeys(t, "inventory vm", vm, "provider", "id", "name", "host", "cpu", "memory_gb", "power", "address")
	}
	var st map[string]any
	mustJSON(t, nova(t, dir, "show", "-json").Must(t, 0, "show -json").Stdout, &st)
	wantKeys(t, "state document", st, "format_version", "lineage", "serial", "vms")
	driftContract(t, dir)
}

// driftContract checks the drift document's keys, with a VM resized out
// of band (drift) and the spec's cpu changed (pending).
func driftContract(t *testing.T, dir string) {
	t.Helper()
	outOfBand(t, dir, "lab", defaultSimConfig, func(d *sim.Driver, vms map[string]driver.VM) { resize(t, d, vms["web-0"].ID, 1) })
	s := defaultSpec()
	s.webCPU = 3
	writeSpec(t, dir, s.String())
	var dr map[string]any
	mustJSON(t, nova(t, dir, "drift", "-json").Must(t, 0, "drift -json").Stdout, &dr)
	wantKeys(t, "drift document", dr, "format_version", "drifted", "lineage", "state_serial", "vms", "summary", "pending")
	vms, pending := dr["vms"].([]any), dr["pending"].([]any)
	if len(vms) != 1 || len(pending) != 3 || dr["format_version"] != JSONFormatVersion {
		t.Fatalf("drift -json: %d VMs and %d pending changes, format_version %v; want 1, 3 and %s", len(vms), len(pending), dr["format_version"], JSONFormatVersion)
	}
	vm := vms[0].(map[string]any)
	wantKeys(t, "drift vm", vm, "address", "fleet", "provider", "id", "name", "kind", "detail", "changes", "ignored")
	wantKeys(t, "drift change", vm["changes"].([]any)[0].(map[string]any), "path", "applied", "live")
	p := pending[0].(map[string]any)
	wantKeys(t, "pending change", p, "address", "action", "changes")
	wantKeys(t, "pending attribute", p["changes"].([]any)[0].(map[string]any), "path", "applied", "spec")
}

func mustJSON(t *testing.T, doc string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, doc)
	}
}

func wantKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			got := make([]string, 0, len(m))
			for g := range m {
				got = append(got, g)
			}
			slices.Sort(got)
			t.Errorf("%s lacks %q; has %v", what, k, got)
		}
	}
}
