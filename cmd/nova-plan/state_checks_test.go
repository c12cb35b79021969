package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// editState rewrites the text of dir's state.json with edit, as a hand
// edit would (duplicate keys and bytes that are not UTF-8 cannot be made
// through a decoded document), and returns the original and forged bytes.
func editState(t *testing.T, dir string, edit func(text string) string) (orig, forged []byte) {
	t.Helper()
	path := filepath.Join(dir, ".nova", "state.json")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	forged = []byte(edit(string(orig)))
	if string(forged) == string(orig) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(path, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	return orig, forged
}

// replaceOnce replaces the first old in s, failing when there is none.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("the state has no %q:\n%s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

// lineOf returns the line of the state that holds the record of addr.
func lineOf(t *testing.T, s, addr string) string {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), `"`+addr+`"`) {
			return l
		}
	}
	t.Fatalf("no line for %s in:\n%s", addr, s)
	return ""
}

// State documents that were accepted although they are wrong, or were
// refused in Go's words. Each is now refused, every problem listed with
// where it is and how to repair it, and the file is left untouched.
func TestStateChecksRefuse(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	ids := stateIDs(t, dir)
	tests := []struct {
		name string
		edit func(t *testing.T, s string) string
		want []string
	}{
		{"duplicate address", func(t *testing.T, s string) string {
			l := lineOf(t, s, "fleet.web[0]")
			return replaceOnce(t, s, l, l+"\n"+strings.Replace(l, ids["fleet.web[0]"], "vm-999999", 1))
		}, []string{`vms has the key "fleet.web[0]" twice (lines 6 and 7)`, "a JSON reader keeps only one of them"}},
		{"serial twice", func(t *testing.T, s string) string {
			return replaceOnce(t, s, `"serial": `, `"serial": 1, "serial": `)
		}, []string{`the document has the key "serial" twice`}},
		{"unknown fields", func(t *testing.T, s string) string {
			s = replaceOnce(t, s, `"serial": `, `"colour": "blue", "serial": `)
			return replaceOnce(t, s, `"cpu":`, `"cpus":8,"cpu":`)
		}, []string{`colour is not a field of format_version 1`, `vms["fleet.web[0]"].cpus is not a field of format_version 1`, "Remove it"}},
		{"id with spaces", func(t *testing.T, s string) string {
			return replaceOnce(t, s, `"id":"`+ids["vm.db-01"]+`"`, `"id":" `+ids["vm.db-01"]+` "`)
		}, []string{`vms["vm.db-01"].id is " ` + ids["vm.db-01"] + ` ", with spaces around it`}},
		{"sizes and power", func(t *testing.T, s string) string {
			l := lineOf(t, s, "fleet.web[1]")
			m := strings.Replace(strings.Replace(l, `"cpu":2`, `"cpu":-2`, 1), `"power":"running"`, `"power":"exploded"`, 1)
			return replaceOnce(t, s, l, strings.Replace(m, `"disk_gb":20`, `"disk_gb":-1`, 1))
		}, []string{`vms["fleet.web[1]"].cpu is -2`, `vms["fleet.web[1]"].disk_gb is -1`, `vms["fleet.web[1]"].power is "exploded"`, `"running" or "stopped"`}},
		{"control characters", func(t *testing.T, s string) string {
			s = replaceOnce(t, s, `"name":"web-2"`, `"name":"web-\u001b[31m2"`)
			l := lineOf(t, s, "lineage")
			return replaceOnce(t, s, l, strings.Replace(l, `": "`, `": "\u001b]0;x\n`, 1))
		}, []string{`vms["fleet.web[2]"].name`, `lineage`, "the control character U+001B"}},
		{"not UTF-8", func(t *testing.T, s string) string {
			return replaceOnce(t, s, `"host":"hv-01"`, "\"host\":\"hv-\xff01\"")
		}, []string{`vms["fleet.web[0]"].host is not UTF-8: it has the byte 0xFF (line 6)`}},
		{"abandoned", func(t *testing.T, s string) string {
			return replaceOnce(t, s, "\n}\n", `,
  "abandoned": [{"provider":"nope","id":"vm-1"},{"provider":"sim.lab","id":""},{"provider":"sim.lab","id":"vm-7"},{"provider":"sim.lab","id":"vm-7"},{"provider":"sim.lab","id":"`+ids["vm.db-01"]+`"}]
}
`)
		}, []string{`abandoned[0].provider`, `abandoned[1].id is empty`, `abandoned[2] and abandoned[3] both record VM vm-7`,
			`abandoned[4] records VM ` + ids["vm.db-01"] + ` of provider sim.lab, which vms["vm.db-01"] manages`}},
		{"vms of the wrong type", func(t *testing.T, s string) string {
			i := strings.Index(s, `"vms": {`)
			return s[:i] + `"vms": []` + "\n}\n"
		}, []string{"vms must be an object of VM records"}},
		{"vms null", func(t *testing.T, s string) string {
			i := strings.Index(s, `"vms": {`)
			return s[:i] + `"vms": null` + "\n}\n"
		}, []string{"vms is null", "{}"}},
		{"serial of the wrong type", func(t *testing.T, s string) string {
			l := lineOf(t, s, "serial")
			return replaceOnce(t, s, l, `  "serial": -3,`)
		}, []string{"serial must be a whole number ≥ 0"}},
		{"memory of the wrong type", func(t *testing.T, s string) string {
			return replaceOnce(t, s, `"memory_mib":2048`, `"memory_mib":"2 GB"`)
		}, []string{`vms["fleet.web[0]"].memory_mib must be a whole number`}},
		{"index too large", func(t *testing.T, s string) string {
			return replaceOnce(t, s, `"fleet.web[2]"`, `"fleet.web[99999999999999999999999]"`)
		}, []string{`the index "99999999999999999999999" is too large`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig, forged := editState(t, dir, func(s string) string { return tt.edit(t, s) })
			defer restoreState(t, dir, orig)
			for _, cmd := range [][]string{{"plan"}, {"show"}, {"state", "list"}} {
				r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, w := range append([]string{"state.json", "left untouched"}, tt.want...) {
					if !strings.Contains(r.Stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", strings.Join(cmd, " "), w, r.Stderr)
					}
				}
				for _, goWords := range []string{"map[string]", "*state.", "local.document", "uint64", "int64", `\x0a`, "json:"} {
					if strings.Contains(r.Stderr, goWords) {
						t.Errorf("%s: stderr speaks Go (%q):\n%s", strings.Join(cmd, " "), goWords, r.Stderr)
					}
				}
			}
			if after, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.json")); string(after) != string(forged) {
				t.Errorf("the refused state file was changed")
			}
		})
	}
}

// Hand-made documents that NovaCron accepts: a byte-order mark, and the
// minimal document that re-attaches a lost state to its VMs through
// their markers (serial and vms left out).
func TestStateChecksAccept(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	var doc struct{ Lineage string }
	data, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	lineage := doc.Lineage
	editState(t, dir, func(s string) string { return "\uFEFF" + s })
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan of a state with a byte-order mark")
	editState(t, dir, func(string) string { return `{"format_version": 1, "lineage": "` + lineage + `"}` })
	p := planJSON(t, dir)
	if p.Summary["adopt"] != 4 || len(p.Changes) != 4 {
		t.Errorf("the minimal state plans %v; want the 4 VMs adopted by their markers", p.Summary)
	}
}

// State errors are lists, one problem a line: show, show -json, state
// list and state show printed them on one line with a literal \x0a.
func TestStateErrorsPrintAsLines(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	forgeState(t, dir, func(doc map[string]any) {
		vms := doc["vms"].(map[string]any)
		vms["fleet.web[5]"] = vms["fleet.web[0]"]
		vms["vm.db-01"].(map[string]any)["fleet"] = "fleet.db"
	})
	for _, cmd := range [][]string{{"show"}, {"show", "-json"}, {"state", "list"}, {"state", "show", "vm.db-01"}, {"state", "rm", "vm.db-01"}, {"plan"}} {
		r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		if strings.Contains(r.Stderr, `\x0a`) || strings.Count(r.Stderr, "\n- ") != 2 {
			t.Errorf("%s does not print one problem a line:\n%s", strings.Join(cmd, " "), r.Stderr)
		}
	}
}

// A lock file whose body is empty or not NovaCron's, held by a process,
// used to be reported as "locked by  (operation "", pid 0, …)" with a
// force-unlock command that names no lock.
func TestDamagedLockFile(t *testing.T) {
	for _, body := range []string{"", "garbage\n", `{"hello": 1}`} {
		dir := newDir(t, defaultSpec().String())
		path := filepath.Join(dir, ".nova", "state.lock")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		r := nova(t, dir, "plan").Must(t, 1, "plan while a damaged lock is held")
		f.Close()
		for _, want := range []string{"Cannot lock the state", path, "does not say who holds it", "rm " + path} {
			if !strings.Contains(r.Stderr, want) {
				t.Errorf("lock body %q: the error lacks %q:\n%s", body, want, r.Stderr)
			}
		}
		if strings.Contains(r.Stderr, "pid 0") || strings.Contains(r.Stderr, "force-unlock `") {
			t.Errorf("lock body %q: the error describes an empty holder:\n%s", body, r.Stderr)
		}
	}
}
