package main

import (
	"bytes"
	"encoding/gob"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDamagedSimPointerRefused: a sim-lab.json whose version is not one
// NovaCron ever wrote (not an integer, zero, negative, missing) or that
// names another snapshot than sim-lab.snap is refused as damaged, naming
// the file, and a newer version asks for a newer nova-plan; nothing is
// written either way, although the compact snapshot beside it is sound.
func TestDamagedSimPointerRefused(t *testing.T) {
	for _, tt := range []struct{ name, json, want string }{
		{"version 3", `{"version":3,"snapshot":"sim-lab.snap"}`, "format version 3; this NovaCron reads versions 1 and 2: upgrade nova-plan"},
		{"huge version", `{"version":99999999999999999999,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version 1e30", `{"version":1e30,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version 2.0", `{"version":2.0,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version -1", `{"version":-1,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version 0", `{"version":0,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version string", `{"version":"2","snapshot":"sim-lab.snap"}`, "damaged"},
		{"version null", `{"version":null,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"version true", `{"version":true,"snapshot":"sim-lab.snap"}`, "damaged"},
		{"no version", `{"snapshot":"sim-lab.snap"}`, "damaged"},
		{"another snapshot", `{"version":2,"snapshot":"../other.snap"}`, "damaged"},
		{"no snapshot", `{"version":2}`, "damaged"},
		{"not JSON", `garbage`, "damaged"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := upgradeFixture(t, "64eb284-base")
			writeBytes(t, filepath.Join(dir, ".nova", "sim-lab.json"), []byte(tt.json+"\n"))
			before := novaFiles(t, dir)
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"inventory"}} {
				r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, want := range []string{"sim-lab.json", tt.want} {
					if !strings.Contains(r.Stderr, want) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], want, r.Stderr)
					}
				}
				if tt.want == "damaged" && strings.Contains(r.Stderr, "upgrade nova-plan") {
					t.Errorf("%s: a damaged file is not a newer one:\n%s", cmd[0], r.Stderr)
				}
			}
			if diff := cmp.Diff(before, novaFiles(t, dir)); diff != "" {
				t.Errorf("a refused command wrote to .nova (-before +after):\n%s", diff)
			}
		})
	}
}

// TestDamagedSimSnapshotHeaderRefused: a compact snapshot whose header has
// a version NovaCron never wrote (0, -1) is damaged, not newer.
func TestDamagedSimSnapshotHeaderRefused(t *testing.T) {
	for _, v := range []int{0, -1} {
		dir := upgradeFixture(t, "64eb284-base")
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(struct {
			Magic   string
			Version int
		}{"novacron sim snapshot", v}); err != nil {
			t.Fatal(err)
		}
		writeBytes(t, filepath.Join(dir, ".nova", "sim-lab.snap"), buf.Bytes())
		before := novaFiles(t, dir)
		r := nova(t, dir, "plan").Must(t, 1, "plan")
		if !strings.Contains(r.Stderr, "sim-lab.snap") || !strings.Contains(r.Stderr, "damaged") || strings.Contains(r.Stderr, "upgrade nova-plan") {
			t.Errorf("version %d: want sim-lab.snap called damaged, not newer:\n%s", v, r.Stderr)
		}
		if diff := cmp.Diff(before, novaFiles(t, dir)); diff != "" {
			t.Errorf("version %d: the refused plan wrote to .nova:\n%s", v, diff)
		}
	}
}
