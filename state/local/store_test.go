package local_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/statetest"
)

func TestConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) state.Store { return local.New(t.TempDir()) })
}

func TestWriteFileLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".nova")
	st := state.New("lin")
	st.Serial = 3
	if err := local.New(dir).Write(t.Context(), st); err != nil {
		t.Fatalf("Write: %v", err)
	}
	tests := []struct {
		path string
		mode os.FileMode
	}{
		{dir, os.ModeDir | 0o700},
		{filepath.Join(dir, local.StateFile), 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Fatalf("Stat: %v", err)
		}
		if fi.Mode() != tt.mode {
			t.Errorf("%s has mode %v, want %v", tt.path, fi.Mode(), tt.mode)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only %s (temp file left behind?)", dir, len(entries), local.StateFile)
	}
}

func TestWriteFormat(t *testing.T) {
	dir := t.TempDir()
	st := state.New("lin")
	st.Serial = 3
	st.VMs["vm.db"] = &state.VM{Provider: "sim.lab", ID: "i-1", Fleet: "vm.db", Tags: map[string]string{"a": "<b>"}}
	if err := local.New(dir).Write(t.Context(), st); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, local.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "format_version": 1,
  "lineage": "lin",
  "serial": 3,
  "vms": {
    "vm.db": {"provider":"sim.lab","id":"i-1","fleet":"vm.db","name":"","cpu":0,"memory_mib":0,"disk_gb":0,"power":"","tags":{"a":"<b>"}}
  }
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("state.json (-want +got):\n%s", diff)
	}
}

func TestWriteRefusesOtherFormat(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []int{0, state.FormatVersion + 1} {
		st := state.New("lin")
		st.FormatVersion = v
		if err := local.New(dir).Write(t.Context(), st); err == nil {
			t.Errorf("Write of format_version %d succeeded", v)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, local.StateFile)); !os.IsNotExist(err) {
		t.Errorf("a refused Write left %s behind (Stat: %v)", local.StateFile, err)
	}
}

func TestReadMissingVMs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, local.StateFile), `{"format_version": 1, "lineage": "lin", "serial": 2}`)
	got, err := local.New(dir).Read(t.Context())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := &state.State{FormatVersion: 1, Lineage: "lin", Serial: 2, VMs: map[string]*state.VM{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
