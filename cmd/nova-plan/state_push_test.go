package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stateDoc is the part of the state file the push and mv tests read.
type stateDoc struct {
	Lineage string `json:"lineage"`
	Serial  uint64 `json:"serial"`
	VMs     map[string]struct {
		ID        string            `json:"id"`
		Fleet     string            `json:"fleet"`
		Name      string            `json:"name"`
		Tags      map[string]string `json:"tags"`
		DependsOn []string          `json:"depends_on"`
	} `json:"vms"`
}

func readStateDoc(t *testing.T, dir string) (stateDoc, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the state file is not JSON: %v\n%s", err, data)
	}
	return doc, data
}

// writeFile writes text to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A pulled document is the state file's bytes; pushed back, edited or not,
// it is written with the next serial, and the edit is what the state holds.
func TestStatePullPushRoundTrip(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	before, stored := readStateDoc(t, dir)
	pulled := nova(t, dir, "state", "pull").Must(t, 0, "state pull").Stdout
	if pulled != string(stored) {
		t.Fatalf("state pull printed other bytes than the state file holds:\n%s\nwant:\n%s", pulled, stored)
	}
	r := novaIn(t, dir, pulled, "state", "push", "-").Must(t, 0, "state push - of the pulled document")
	after, _ := readStateDoc(t, dir)
	if after.Serial != before.Serial+1 || !strings.Contains(r.Stdout, "serial") {
		t.Errorf("push of serial %d wrote serial %d, want %d; it said:\n%s", before.Serial, after.Serial, before.Serial+1, r.Stdout)
	}

	// pull → edit → push, without touching the serial: the pulled serial
	// is now one behind what is stored, and the push is refused...
	edited := strings.Replace(pulled, `"name":"web-0"`, `"name":"web-0","tags":{"edited":"yes"}`, 1)
	if edited == pulled {
		t.Fatalf("the pulled state has no web-0:\n%s", pulled)
	}
	path := writeFile(t, t.TempDir(), "edited.json", edited)
	nova(t, dir, "state", "push", path).Must(t, 1, "push of a document older than the stored one")
	// ...while one pulled now goes through.
	pulled = nova(t, dir, "state", "pull").Must(t, 0, "state pull").Stdout
	edited = strings.Replace(pulled, `"name":"web-0"`, `"name":"web-0","tags":{"edited":"yes"}`, 1)
	writeFile(t, filepath.Dir(path), "edited.json", edited)
	nova(t, dir, "state", "push", path).Must(t, 0, "state push of the edited document")
	final, _ := readStateDoc(t, dir)
	if final.Serial != after.Serial+1 || final.VMs["fleet.web[0]"].Tags["edited"] != "yes" {
		t.Errorf("after the edited push: serial %d (want %d), fleet.web[0] tags %v (want edited=yes)", final.Serial, after.Serial+1, final.VMs["fleet.web[0]"].Tags)
	}
	r = nova(t, dir, "history", "-json").Must(t, 0, "history -json")
	if n := strings.Count(r.Stdout, `"kind": "state push"`); n != 2 {
		t.Errorf("history has %d state push records, want 2:\n%s", n, r.Stdout)
	}
}

// A push of an older serial or of another lineage is refused, naming which
// and how to proceed, and writes nothing; -force replaces the state, with
// the next serial.
func TestStatePushRefusedUnlessForced(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	doc, _ := readStateDoc(t, dir)
	old := nova(t, dir, "state", "pull").Must(t, 0, "state pull").Stdout
	s := defaultSpec()
	s.webCPU = 4
	applySpec(t, dir, s) // the stored serial moves on
	tmp := t.TempDir()
	other := strings.Replace(old, doc.Lineage, "0f0f0f0f-0000-4000-8000-000000000000", 1)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"older serial", old, []string{"older than the stored serial", "Pull the state again", "-force"}},
		{"other lineage", other, []string{`lineage "0f0f0f0f-0000-4000-8000-000000000000"`, "another workspace's state", "-force"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stored := readStateDoc(t, dir)
			path := writeFile(t, tmp, strings.ReplaceAll(tt.name, " ", "-")+".json", tt.text)
			r := nova(t, dir, "state", "push", path).Must(t, 1, "push")
			for _, w := range append(tt.want, "Nothing was written") {
				if !strings.Contains(r.Stderr, w) {
					t.Errorf("the refusal does not say %q:\n%s", w, r.Stderr)
				}
			}
			if _, now := readStateDoc(t, dir); string(now) != string(stored) {
				t.Errorf("a refused push changed the state file:\n%s", now)
			}
			nova(t, dir, "state", "push", "-force", path).Must(t, 0, "push -force")
			forced, _ := readStateDoc(t, dir)
			want, _ := readStateDocText(t, tt.text)
			prev, _ := readStateDocText(t, string(stored))
			if forced.Lineage != want.Lineage || forced.Serial != prev.Serial+1 {
				t.Errorf("push -force wrote lineage %s serial %d, want lineage %s serial %d", forced.Lineage, forced.Serial, want.Lineage, prev.Serial+1)
			}
		})
	}
}

func readStateDocText(t *testing.T, text string) (stateDoc, error) {
	t.Helper()
	var doc stateDoc
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, nil
}

// A document state.Decode or Validate refuses is an error that says where
// (file, line and column) and what is wrong; nothing is written.
func TestStatePushMalformed(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	pulled := nova(t, dir, "state", "pull").Must(t, 0, "state pull").Stdout
	tmp := t.TempDir()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"not JSON", strings.Replace(pulled, `"serial": `, `"serial" `, 1), []string{"bad.json:4:"}},
		{"cut short", pulled[:len(pulled)/2], []string{"bad.json:"}},
		{"empty", "", []string{"bad.json:1:1:"}},
		{"negative cpu", strings.Replace(pulled, `"cpu":2`, `"cpu":-2`, 1), []string{"bad.json:6:", `vms["fleet.web[0]"].cpu is -2`, "(line 6)"}},
		{"not a state", `{"hello": 1}`, []string{"no format_version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stored := readStateDoc(t, dir)
			path := writeFile(t, tmp, "bad.json", tt.text)
			for _, args := range [][]string{{"state", "push", path}, {"state", "push", "-force", path}} {
				r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
				for _, w := range append(tt.want, "Nothing was written") {
					if !strings.Contains(r.Stderr, w) {
						t.Errorf("%v: the error does not say %q:\n%s", args, w, r.Stderr)
					}
				}
				if strings.Contains(r.Stderr, "panic") {
					t.Errorf("%v panicked:\n%s", args, r.Stderr)
				}
				if _, now := readStateDoc(t, dir); string(now) != string(stored) {
					t.Errorf("%v changed the state file", args)
				}
			}
		})
	}
}
