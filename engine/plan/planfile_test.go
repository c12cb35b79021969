package plan_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/novacron/novacron/engine/plan"
)

// samplePlan is a diffed plan with most kinds of change: an adoption and
// its update, a replace, creates, deletes, a rollout, warnings, variables.
func samplePlan(t *testing.T) (*plan.Plan, *fixture) {
	t.Helper()
	f := applied(t, rolloutSpec(3, "batch_size = 1", ""))
	f.spec = loadSpec(t, rolloutSpec(4, "batch_size = 1", ""))
	delete(f.state.VMs, "fleet.web[0]")
	f.vm(t, "vm-0001").CPU = 1
	f.vm(t, "vm-0002").Template = debianID
	addVM(f, "fleet.old[0]", "vm-0040")
	p := mustDiff(t, f.input())
	p.InventoryFingerprint = plan.FingerprintOf(f.input().Inventories, lineage, f.state)
	p.Warnings = []string{"a warning"}
	p.Variables = map[string]plan.Variable{
		"n":      {Type: []byte(`"number"`), Value: []byte(`3`)},
		"secret": {SensitiveDigest: "abc123"},
	}
	if len(p.Changes) < 5 {
		t.Fatalf("the sample plan has only %v", rows(p))
	}
	return p, f
}

// TestPlanFileRoundTrip saves and loads a plan: after Bind restores the
// templates, which plan files do not hold, it equals the original.
func TestPlanFileRoundTrip(t *testing.T) {
	want, f := samplePlan(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "tfplan")
	if err := os.WriteFile(path, []byte("an older file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteFile(path, want); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	got, err := plan.ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if err := got.Bind(f.spec); err != nil {
		t.Fatalf("Bind: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("plan after a round trip (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "tfplan" {
		t.Errorf("the folder holds %v; want only the plan file, no temporary files", entries)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v (%v); want 0600", info.Mode().Perm(), err)
	}
}

func TestWriteFileMissingFolder(t *testing.T) {
	p, _ := samplePlan(t)
	dir := t.TempDir()
	if err := plan.WriteFile(filepath.Join(dir, "nope", "tfplan"), p); err == nil {
		t.Fatalf("WriteFile into a missing folder succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed WriteFile left %v behind", entries)
	}
}

// envelope writes a plan file around body with a correct checksum.
func envelope(t *testing.T, kind string, body []byte) []byte {
	t.Helper()
	sum := sha256.Sum256(body)
	data, err := json.Marshal(map[string]any{"kind": kind, "checksum": hex.EncodeToString(sum[:]), "plan": json.RawMessage(body)})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReadFileRefuses damages a saved plan in many ways; each must give a
// clear error and never a panic.
func TestReadFileRefuses(t *testing.T) {
	p, _ := samplePlan(t)
	path := filepath.Join(t.TempDir(), "tfplan")
	if err := plan.WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p.FormatVersion = plan.MovelessFormatVersion // as WriteFile saves a plan without moves
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// edit replaces old by new in the plan body, once, and re-checksums.
	edit := func(old, new string) []byte {
		if !bytes.Contains(body, []byte(old)) {
			t.Fatalf("the plan body has no %q", old)
		}
		return envelope(t, "novacron-plan", bytes.Replace(body, []byte(old), []byte(new), 1))
	}
	notPlan := path + " is not a NovaCron plan file (or it is damaged)"
	corrupt := path + " is corrupt: "
	tests := []struct {
		name string
		data []byte
		want string // the error starts with it
	}{
		{"empty", nil, notPlan},
		{"truncated", good[:len(good)/2], notPlan},
		{"not JSON", []byte("# plan\n"), notPlan},
		{"wrong kind", envelope(t, "terraform-plan", body), notPlan},
		{"a flipped byte in the body", bytes.Replace(good, []byte(`"cpu 1 → 2"`), []byte(`"cpu 1 → 3"`), 1), corrupt + "its checksum does not match its contents"},
		{"a newer format version", edit(`"format_version":2`, `"format_version":4`), path + " has plan format version 4; this nova-plan reads versions 2 and 3: it was saved by a newer nova-plan"},
		{"an older format version", edit(`"format_version":2`, `"format_version":1`), path + " has plan format version 1; this nova-plan reads versions 2 and 3: it was saved by an older nova-plan"},
		{"a move in a version 2 plan", edit(`"action":"update"`, `"action":"move"`), corrupt + "it holds a move or a forget, which a plan of format version 2 cannot hold"},
		{"no format version", edit(`"format_version":2,`, ``), path + " is damaged or not a NovaCron plan file (no format_version in its plan"},
		{"format version 0", edit(`"format_version":2`, `"format_version":0`), path + " is damaged or not a NovaCron plan file (format_version is 0 in its plan"},
		{"an unknown action", edit(`"action":"update"`, `"action":"upgrade"`), corrupt + `unknown action "upgrade"`},
		{"a null change", edit(`"changes":[`, `"changes":[null,`), corrupt + "change 0 has no address"},
		{"an unknown field", edit(`"lineage":`, `"colour":"red","lineage":`), corrupt + `json: unknown field "colour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := plan.ReadFile(path)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ReadFile = %v, %v; want an error starting %q", got, err, tt.want)
			}
		})
	}
}

// TestReadFileValidates feeds well-formed files whose changes lack what the
// executor needs.
func TestReadFileValidates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tfplan")
	const attrs = `{"provider":"sim.lab","name":"a","cpu":1,"memory_mib":1024,"disk_gb":1,"power":"running"}`
	marker := `"marker":{"address":"vm.a","lineage":"l","spec_hash":"h"}`
	tests := []struct{ change, want string }{
		{`{"address":"","action":"create","reasons":[]}`, "change 0 has no address"},
		{`{"address":"vm.a","action":"update","id":"vm-1","after":` + attrs + `,"reasons":[]}`, "change 0 (update vm.a) lacks its before or after attributes"},
		{`{"address":"vm.a","action":"create","reasons":[],` + marker + `}`, "change 0 (create vm.a) lacks its before or after attributes"},
		{`{"address":"vm.a","action":"delete","before":` + attrs + `,"reasons":[]}`, "change 0 (delete vm.a) lacks its VM id or marker"},
		{`{"address":"vm.a","action":"create","after":` + attrs + `,"reasons":[]}`, "change 0 (create vm.a) lacks its VM id or marker"},
		{`{"address":"vm.a","before":` + attrs + `,"after":` + attrs + `,"id":"x","reasons":[]}`, "change 0 has no valid action"},
		{`{"address":"vm.a","action":"adopt","imported":true,"before":` + attrs + `,"after":` + attrs + `,"id":"x","reasons":[]}`, "change 0 (adopt vm.a) lacks its VM id or marker"},
	}
	for _, tt := range tests {
		body := `{"format_version":2,"lineage":"l","state_serial":0,"state_exists":false,"spec_digest":"d","inventory_fingerprint":{},"changes":[` + tt.change + `]}`
		if err := os.WriteFile(path, envelope(t, "novacron-plan", []byte(body)), 0o600); err != nil {
			t.Fatal(err)
		}
		want := path + " is corrupt: " + tt.want
		if got, err := plan.ReadFile(path); err == nil || err.Error() != want {
			t.Errorf("ReadFile(%s) = %v, %v; want the error %q", tt.change, got, err, want)
		}
	}
}

// TestReadFileEveryByte flips each byte of a saved plan in turn: every
// damaged file is refused, and none panics.
func TestReadFileEveryByte(t *testing.T) {
	p, _ := samplePlan(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "tfplan")
	if err := plan.WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	damaged := filepath.Join(dir, "damaged")
	for i := range good {
		data := bytes.Clone(good)
		data[i] ^= 0x01
		if err := os.WriteFile(damaged, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := plan.ReadFile(damaged); err == nil {
			t.Fatalf("flipping byte %d (%q) went unnoticed", i, good[i])
		}
	}
}

func TestReadFileMissing(t *testing.T) {
	if _, err := plan.ReadFile(filepath.Join(t.TempDir(), "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file = %v; want fs.ErrNotExist", err)
	}
}

// TestWriteFileVersion: a plan holding a move or a forget has format
// version 3, which a nova-plan that knows neither refuses as saved by a
// newer one; any other plan keeps version 2, which it still applies. Both
// are saved so and read back.
func TestWriteFileVersion(t *testing.T) {
	moved := applied(t, fleetOf3("web", 3))
	moved.spec = loadSpec(t, fleetOf3("fe", 3)+"moved {\n  from = fleet.web\n  to   = fleet.fe\n}\n")
	forgot := applied(t, fleetOf3("web", 3))
	forgot.spec = loadSpec(t, "removed {\n  from = fleet.web\n  lifecycle {\n    destroy = false\n  }\n}\n")
	sample, _ := samplePlan(t)
	tests := []struct {
		name string
		p    *plan.Plan
		want int
	}{
		{"no move", sample, 2},
		{"moves", mustDiff(t, moved.input()), 3},
		{"forgets", mustDiff(t, forgot.input()), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.p.FormatVersion != tt.want {
				t.Errorf("FormatVersion = %d, want %d (%v)", tt.p.FormatVersion, tt.want, rows(tt.p))
			}
			path := filepath.Join(t.TempDir(), "tfplan")
			if err := plan.WriteFile(path, tt.p); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte(fmt.Sprintf(`"format_version":%d`, tt.want))) {
				t.Errorf("the plan file has no format_version %d:\n%.200s", tt.want, data)
			}
			if got, err := plan.ReadFile(path); err != nil || got.FormatVersion != tt.want {
				t.Errorf("ReadFile: %v, format version %v", err, got)
			}
		})
	}
}
