package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forgeState rewrites dir's state.json through edit, as a hand edit or a
// bad merge would, and returns the original and the forged bytes.
func forgeState(t *testing.T, dir string, edit func(doc map[string]any)) (orig, forged []byte) {
	t.Helper()
	path := filepath.Join(dir, ".nova", "state.json")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(orig, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	if forged, err = json.MarshalIndent(doc, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	return orig, forged
}

// wantRefused runs each command against the forged state: every one must
// fail with the wanted text, and leave the file as it was.
func wantRefused(t *testing.T, dir string, forged []byte, want ...string) {
	t.Helper()
	path := filepath.Join(dir, ".nova", "state.json")
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"destroy", "-auto-approve"}, {"inventory"}, {"state", "list"}} {
		r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		for _, w := range append([]string{"state.json", "left untouched"}, want...) {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", strings.Join(cmd, " "), w, r.Stderr)
			}
		}
		if strings.Contains(r.Stdout, "will be destroyed") || strings.Contains(r.Stdout, "will be created") {
			t.Errorf("%s planned changes from a refused state:\n%s", strings.Join(cmd, " "), r.Stdout)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(forged) {
		t.Errorf("the refused state file was changed:\n%s", after)
	}
}

func restoreState(t *testing.T, dir string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".nova", "state.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The same VM recorded at two addresses used to plan a delete of the extra
// one, and the apply deleted the VM fleet.web[0] still owned.
func TestStateWithOneVMAtTwoAddressesIsRefused(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	orig, forged := forgeState(t, dir, func(doc map[string]any) {
		vms := doc["vms"].(map[string]any)
		vms["fleet.web[5]"] = vms["fleet.web[0]"]
	})
	wantRefused(t, dir, forged, `vms["fleet.web[0]"] and vms["fleet.web[5]"] both record VM`, "Remove all but one")
	restoreState(t, dir, orig)
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with the state restored: every VM is still there")
}

// A state without a lineage used to be accepted, and the next apply
// stamped new VMs with an empty lineage in their ownership markers.
func TestStateWithoutLineageIsRefused(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	orig, forged := forgeState(t, dir, func(doc map[string]any) { delete(doc, "lineage") })
	more := defaultSpec()
	more.webCount = 4
	writeSpec(t, dir, more.String())
	wantRefused(t, dir, forged, "lineage is missing", "ownership marker", "set \"lineage\" to the lineage")
	restoreState(t, dir, orig)
	if p := planJSON(t, dir); p.Summary["create"] != 1 || p.Summary["adopt"] != 0 {
		t.Errorf("with the state restored the plan is %v; want fleet.web[3] still to create (no VM was made)", p.Summary)
	}
}

func TestStateFormatVersionZeroIsNamed(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	_, forged := forgeState(t, dir, func(doc map[string]any) { doc["format_version"] = 0 })
	wantRefused(t, dir, forged, "format_version is 0")
	if r := nova(t, dir, "plan"); strings.Contains(r.Stderr, "no format_version") {
		t.Errorf("format_version 0 is reported as missing:\n%s", r.Stderr)
	}
	_, forged = forgeState(t, dir, func(doc map[string]any) { delete(doc, "format_version") })
	wantRefused(t, dir, forged, "has no format_version")
}

func TestStateWithBadAddressIsRefused(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	_, forged := forgeState(t, dir, func(doc map[string]any) {
		vms := doc["vms"].(map[string]any)
		vms["fleet.web[01]"] = vms["fleet.web[1]"]
		delete(vms, "fleet.web[1]")
		vms["vm.db-01"].(map[string]any)["fleet"] = "fleet.web"
	})
	wantRefused(t, dir, forged, `vms["fleet.web[01]"] is not a VM address: the index "01"`,
		`vms["vm.db-01"].fleet is "fleet.web", but the address belongs to vm.db-01. Set it to "vm.db-01".`)
}
