package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/rebalance"
)

// TestRebalanceBadUtilization: every broken utilization file is one
// diagnostic at the file's line and column, exit 1, and no plan written.
func TestRebalanceBadUtilization(t *testing.T) {
	cases := []struct {
		name, file, at string
	}{
		{"syntax", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": 1,, \"memory_mib\": 2}\n  }\n}\n", "use.json:3:24"},
		{"type", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": \"lots\", \"memory_mib\": 2}\n  }\n}\n", "use.json:3:22"},
		{"unknown-field", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": 1, \"memory_mib\": 2, \"disk\": 3}\n  }\n}\n", "use.json:3:42"},
		{"unknown-setting", "{\n  \"format_version\": 1,\n  \"hosts\": {}\n}\n", "use.json:3:3"},
		{"version", "{\"format_version\": 7, \"vms\": {}}\n", "use.json:1:2"},
		{"negative", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": -1, \"memory_mib\": 2}\n  }\n}\n", "use.json:3:14"},
		{"half", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": 1}\n  }\n}\n", "use.json:3:14"},
		{"truncated", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": 1", "use.json:3:23"},
		{"not-an-object", "[1, 2]\n", "use.json:1:1"},
		{"duplicate-field", "{\n  \"vms\": {\n    \"vm.db\": {\"cpu\": 1, \"cpu\": 30, \"memory_mib\": 2}\n  }\n}\n", "use.json:3:25"},
		{"duplicate-sample-field", "{\"vms\": {\"vm.db\": {\"samples\": [\n  {\"time\": \"2026-12-01T10:00:00Z\", \"cpu\": 1, \"memory_mib\": 2, \"cpu\": 3}\n]}}}\n", "use.json:2:63"},
		{"duplicate-vms", "{\n  \"vms\": {},\n  \"vms\": {}\n}\n", "use.json:3:3"},
		{"duplicate-vm", "{\"vms\": {\n  \"vm.db\": {\"cpu\": 1, \"memory_mib\": 2},\n  \"vm.db\": {\"cpu\": 1, \"memory_mib\": 2}\n}}\n", "use.json:3:3"},
		{"version-string", "{\"format_version\": \"1\", \"vms\": {}}\n", "use.json:1:20: format_version: expected int"},
		{"empty-address", "{\"vms\": {\"\": {\"cpu\": 1}}}\n", `use.json:1:14: "": give cpu and memory_mib together`},
	}
	dir := newDir(t, rebalanceSpec(0, nil, false))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "use.json")
			if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
			r := nova(t, dir, "rebalance", "-utilization", "use.json", "-out", "p.plan").Must(t, 1, "rebalance with a bad file")
			if !strings.Contains(r.Stderr, c.at) || strings.Contains(r.Stderr, "panic") {
				t.Errorf("stderr does not point at %s:\n%s", c.at, r.Stderr)
			}
			golden(t, filepath.Join("rebalance", c.name+".txt"), r.Stderr)
			if _, err := os.Stat(filepath.Join(dir, "p.plan")); !os.IsNotExist(err) {
				t.Errorf("a plan was written: %v", err)
			}
		})
	}
}

// TestRebalanceBadFlags: each bad flag value is refused, naming the flag,
// before anything is read.
func TestRebalanceBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-mode", "tidy"}, `-mode "tidy": use hot or consolidate`},
		{[]string{"-threshold", "0"}, "-threshold 0: give a percentage above 0 and at most 100"},
		{[]string{"-threshold", "120"}, "-threshold 120"},
		{[]string{"-threshold", "NaN"}, "-threshold NaN"},
		{[]string{"-max-moves", "0"}, "-max-moves"},
		{[]string{"-max-moves", "150%"}, "a percentage must be above 0 and at most 100"},
		{[]string{"-horizon", "0"}, "-horizon"},
		{[]string{"-predict"}, "-predict forecasts from the samples of a -utilization file"},
		{[]string{"-utilization", "missing.json"}, "Cannot read the utilization file"},
		{[]string{"extra"}, "rebalance takes no arguments"},
	}
	dir := newDir(t, rebalanceSpec(0, nil, false))
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := nova(t, dir, append([]string{"rebalance"}, c.args...)...).Must(t, 1, "rebalance with a bad flag")
			if !strings.Contains(r.Stderr, c.want) {
				t.Errorf("stderr does not say %q:\n%s", c.want, r.Stderr)
			}
		})
	}
}

// TestRebalanceUtilizationTooLarge: a -utilization file above the cap is
// refused, naming the file and the cap, exit 1, before it is read (a
// sparse file, so the test writes nothing of its size).
func TestRebalanceUtilizationTooLarge(t *testing.T) {
	dir := newDir(t, rebalanceSpec(0, nil, false))
	if err := os.WriteFile(filepath.Join(dir, "big.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(dir, "big.json"), rebalance.MaxUsageFileBytes+1); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "rebalance", "-utilization", "big.json", "-out", "p.plan").Must(t, 1, "rebalance with a huge file")
	if want := "big.json is larger than 256 MiB"; !strings.Contains(r.Stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.plan")); !os.IsNotExist(err) {
		t.Errorf("a plan was written: %v", err)
	}
}

// TestReadCapped: a stream that never ends (/dev/zero, which has no size)
// is cut at the cap; a file at the cap is read whole.
func TestReadCapped(t *testing.T) {
	exact := filepath.Join(t.TempDir(), "exact")
	if err := os.WriteFile(exact, make([]byte, 1024), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path    string
		wantErr bool
	}{
		{"/dev/zero", true},
		{exact, false},
	}
	for _, c := range cases {
		src, err := readCapped(c.path, 1024)
		if (err != nil) != c.wantErr || (err == nil && len(src) != 1024) {
			t.Errorf("%s: %d bytes, %v; want an error %v", c.path, len(src), err, c.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "larger than 1024 bytes") {
			t.Errorf("%s: %v does not name the cap", c.path, err)
		}
	}
}

// TestRebalanceUseOutOfBounds: a use figure above twice what the VM is
// allocated (now, or in a history sample) is one error at the VM's entry,
// with the file's line shown under it, exit 1, no plan; twice exactly is
// taken.
func TestRebalanceUseOutOfBounds(t *testing.T) {
	dir := newDir(t, rebalanceSpec(1, nil, false)) // vm.db: 4 vCPUs, 8 GiB; vm.app0: 2 vCPUs, 4 GiB
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	const sample = `{"time": "2026-12-01T10:00:00Z", "cpu": %s, "memory_mib": %s}`
	cases := []struct {
		name, db, at string
	}{
		{"cpu-huge", `{"cpu": 1e308, "memory_mib": 2}`, "use.json:3:5"},
		{"memory-huge", `{"cpu": 1, "memory_mib": 16385}`, "use.json:3:5"},
		{"sample-huge", `{"samples": [` + fmt.Sprintf(sample, "1", "2") + `, ` + fmt.Sprintf(sample, "400", "2") + `]}`, "use.json:3:5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := "{\n  \"vms\": {\n    \"vm.db\": " + c.db + ",\n    \"vm.app0\": {\"cpu\": 4, \"memory_mib\": 8192}\n  }\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "use.json"), []byte(file), 0o600); err != nil {
				t.Fatal(err)
			}
			r := nova(t, dir, "rebalance", "-utilization", "use.json", "-out", "p.plan").Must(t, 1, "rebalance with a use out of bounds")
			if !strings.Contains(r.Stderr, c.at) || strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "vm.app0") {
				t.Errorf("stderr does not point at %s (alone):\n%s", c.at, r.Stderr)
			}
			if !strings.Contains(r.Stderr, "  3:     \"vm.db\": "+c.db[:min(len(c.db), 20)]) {
				t.Errorf("stderr shows no excerpt of the file's line 3, as the other diagnostics do:\n%s", r.Stderr)
			}
			golden(t, filepath.Join("rebalance", "bound-"+c.name+".txt"), r.Stderr)
			if _, err := os.Stat(filepath.Join(dir, "p.plan")); !os.IsNotExist(err) {
				t.Errorf("a plan was written: %v", err)
			}
		})
	}
}

// TestRebalancePredictWithoutHistory: -predict on VMs the file gives no
// samples for says how many took their use now instead of a forecast.
func TestRebalancePredictWithoutHistory(t *testing.T) {
	dir := newDir(t, rebalanceSpec(1, nil, false))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	cases := []struct {
		use  map[string][2]float64
		want string
	}{
		{map[string][2]float64{"vm.db": {1, 1024}, "vm.app0": {1, 1024}}, "-predict: 2 VMs had no samples in the file"},
		{map[string][2]float64{"vm.db": {1, 1024}}, "-predict: 1 VM had no samples in the file"},
	}
	for _, c := range cases {
		r := nova(t, dir, "rebalance", "-predict", "-utilization", writeUse(t, dir, c.use)).Must(t, 0, "rebalance -predict")
		if !strings.Contains(r.Stdout+r.Stderr, c.want) {
			t.Errorf("output does not say %q:\n%s%s", c.want, r.Stdout, r.Stderr)
		}
	}
}
