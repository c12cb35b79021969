package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The upgrade tests run this nova-plan on folders older ones left: the
// fixtures under testdata/upgrade, each made by building the commit that
// wrote its formats (scripts/upgrade-fixtures.sh; the table is in
// testdata/upgrade/README.md). A fixture is a working folder whose nova/
// is the .nova folder the old nova-plan left, on the estate of
// estate.nova.hcl: one VM and a fleet of three on the simulator.

// fixtureKey is the key of the sealed fixtures (the script's FIXTURE_KEY).
const fixtureKey = "NOVA_STATE_KEY=bm92YWNyb24tdXBncmFkZS1maXh0dXJlLWtleS0zMmI="

// upgradeFixture copies testdata/upgrade/NAME into a new folder, its nova/
// as .nova, and returns the folder.
func upgradeFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", "upgrade", name)
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "nova" || strings.HasPrefix(rel, "nova"+string(filepath.Separator)) {
			rel = "." + rel
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o600)
	})
	if err != nil {
		t.Fatalf("copying the fixture %s: %v", name, err)
	}
	return dir
}

// novaFiles returns the bytes of every file of dir/.nova but the lock
// files (which name the last holder, nothing of the state), by name.
func novaFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	return filesOf(t, dir, func(string) bool { return true })
}

func filesOf(t *testing.T, dir string, keep func(name string) bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(dir, ".nova")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".lock") || !keep(d.Name()) {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pulled is what the tests read of `state pull`.
type pulled struct {
	FormatVersion int                            `json:"format_version"`
	Serial        uint64                         `json:"serial"`
	VMs           map[string]struct{ ID string } `json:"vms"`
}

func pullState(t *testing.T, dir string, env []string) pulled {
	t.Helper()
	r := novaEnv(t, dir, env, "state", "pull").Must(t, 0, "state pull")
	var p pulled
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("state pull printed no state: %v\n%s", err, r.Stdout)
	}
	return p
}

// liveIDs returns the ids of the live VMs by the address their marker
// gives (every VM of the fixtures is the workspace's).
func liveAddressIDs(t *testing.T, dir string, env []string) map[string]string {
	t.Helper()
	r := novaEnv(t, dir, env, "inventory", "-json").Must(t, 0, "inventory -json")
	var inv inventoryDoc
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, vm := range inv.VMs {
		if vm.Address == "" {
			t.Errorf("VM %s (%s) is not the workspace's", vm.Name, vm.ID)
		}
		out[vm.Address] = vm.ID
	}
	return out
}

func pulledIDs(p pulled) map[string]string {
	out := map[string]string{}
	for a, vm := range p.VMs {
		out[a] = vm.ID
	}
	return out
}

// TestOldStateAndSimPlanClean: the state, history and simulated cluster of
// every older nova-plan (state.json format_version 1, the simulator's
// JSON snapshot of version 1 and its compact snapshot) plan with no
// changes on the estate they describe, and nothing is written by the
// plan. The first apply that changes the cluster moves a version 1
// simulator to the compact snapshot, and the next plan is clean again.
func TestOldStateAndSimPlanClean(t *testing.T) {
	for _, name := range []string{"71b013d-base", "fba7ae1-base", "29320fc-base", "64eb284-base"} {
		t.Run(name, func(t *testing.T) {
			dir := upgradeFixture(t, name)
			before := novaFiles(t, dir)
			nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan of the old state")
			if diff := cmp.Diff(before, novaFiles(t, dir)); diff != "" {
				t.Errorf("a plan with no changes wrote to .nova (-before +after):\n%s", diff)
			}
			st := pullState(t, dir, nil)
			if diff := cmp.Diff(pulledIDs(st), liveAddressIDs(t, dir, nil)); diff != "" || len(st.VMs) != 4 {
				t.Errorf("the old state's %d VMs are not the live ones (-state +live):\n%s", len(st.VMs), diff)
			}
			var hist struct {
				Records []struct{ Kind, Outcome string }
			}
			r := nova(t, dir, "history", "-json").Must(t, 0, "history of the old log")
			if err := json.Unmarshal([]byte(r.Stdout), &hist); err != nil || len(hist.Records) != 6 {
				t.Errorf("history -json of the old log: %v, %d records, want 6 (start, 4 creates, end)", err, len(hist.Records))
			}

			nova(t, dir, "apply", "-auto-approve", "-var", "web_count=4").Must(t, 0, "apply over the old state")
			nova(t, dir, "plan", "-detailed-exitcode", "-var", "web_count=4").Must(t, 0, "plan after the apply")
			if st := pullState(t, dir, nil); st.Serial <= 1 || len(st.VMs) != 5 {
				t.Errorf("after the apply the state is serial %d with %d VMs, want a newer serial and 5", st.Serial, len(st.VMs))
			}
			var sim struct{ Version int }
			if err := json.Unmarshal(readBytes(t, filepath.Join(dir, ".nova", "sim-lab.json")), &sim); err != nil || sim.Version != 2 {
				t.Errorf("sim-lab.json after a change: version %d (%v), want 2 (the compact snapshot's pointer)", sim.Version, err)
			}
			if r := nova(t, dir, "history", "-json").Must(t, 0, "history"); strings.Count(r.Stdout, `"kind": "start"`) != 2 {
				t.Errorf("the apply did not append to the old history:\n%s", r.Stdout)
			}
		})
	}
}

// TestOldSavedPlans: a saved plan of format version 1 is refused, saying
// an older nova-plan saved it and to make the plan again, and nothing is
// written; plans of version 2, whatever nova-plan saved them, are applied
// (their checks of the spec, the state and the inventory still hold).
func TestOldSavedPlans(t *testing.T) {
	dir := upgradeFixture(t, "71b013d-base")
	before := novaFiles(t, dir)
	for _, cmd := range [][]string{{"apply", "plan.bin"}, {"show", "plan.bin"}} {
		r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " ")+" of a version 1 plan")
		for _, want := range []string{"plan.bin has plan format version 1; this nova-plan reads versions 2 and 3", "older nova-plan", "make the plan again"} {
			if !strings.Contains(r.Stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], want, r.Stderr)
			}
		}
	}
	if diff := cmp.Diff(before, novaFiles(t, dir)); diff != "" {
		t.Errorf("the refused plan wrote to .nova (-before +after):\n%s", diff)
	}

	for _, name := range []string{"fba7ae1-base", "29320fc-base", "64eb284-base"} {
		t.Run(name, func(t *testing.T) {
			dir := upgradeFixture(t, name)
			nova(t, dir, "apply", "plan.bin").Must(t, 0, "apply of the old saved plan")
			if n := len(pullState(t, dir, nil).VMs); n != 5 {
				t.Errorf("the saved plan (web_count=4) left %d VMs, want 5", n)
			}
			nova(t, dir, "plan", "-detailed-exitcode", "-var", "web_count=4").Must(t, 0, "plan after the saved plan")
		})
	}
}

// journalSets returns the addresses the records of a plaintext journal set.
func journalSets(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(string(readBytes(t, path))), "\n") {
		if i == 0 {
			continue
		}
		var rec struct{ Set map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		for a := range rec.Set {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// TestOldJournalsFold: the journal an apply of an older nova-plan left when
// it was killed (version 1 before the records carried lineage and
// checksum, version 2 since; plaintext or sealed) is read by commands
// that only read, and folded into state.json by the next that takes the
// lock, which says so, naming the journal's version when it is older. The
// apply then finishes the estate, and the plan after it is clean.
func TestOldJournalsFold(t *testing.T) {
	for _, tt := range []struct {
		name    string
		version int
		env     []string
	}{
		{"fba7ae1-journal", 1, nil},
		{"29320fc-journal", 1, nil},
		{"29320fc-sealed", 1, []string{fixtureKey}},
		{"64eb284-journal", 2, nil},
		{"64eb284-sealed", 2, []string{fixtureKey}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := upgradeFixture(t, tt.name)
			journal := filepath.Join(dir, ".nova", "state.journal")
			st := pullState(t, dir, tt.env)
			if len(st.VMs) <= 4 {
				t.Errorf("state pull shows %d VMs: the journal's records were not read", len(st.VMs))
			}
			if tt.env == nil {
				var doc pulled
				if err := json.Unmarshal(readBytes(t, filepath.Join(dir, ".nova", "state.json")), &doc); err != nil {
					t.Fatal(err)
				}
				want := append(slices.Collect(maps.Keys(doc.VMs)), journalSets(t, journal)...)
				slices.Sort(want)
				if diff := cmp.Diff(want, slices.Sorted(maps.Keys(st.VMs))); diff != "" {
					t.Errorf("state pull is not state.json with the journal's records (-want +got):\n%s", diff)
				}
			}
			if _, err := os.Stat(journal); err != nil {
				t.Fatalf("state pull removed the journal: %v", err)
			}

			r := novaEnv(t, dir, tt.env, "plan", "-var", "web_count=6").Must(t, 0, "plan over the old journal")
			fold := "Folded the changes of .nova/state.journal, left by an interrupted apply"
			if tt.version < 2 {
				fold = "Folded the changes of .nova/state.journal (journal version 1), left by an interrupted apply, into .nova/state.json; this nova-plan writes journal version 2."
			}
			if !strings.Contains(r.Stdout+r.Stderr, fold) {
				t.Errorf("the plan does not say it folded the journal (%q):\n%s\n%s", fold, r.Stdout, r.Stderr)
			}
			if _, err := os.Stat(journal); !os.IsNotExist(err) {
				t.Errorf("the journal is still there after the fold (%v)", err)
			}
			if folded := pullState(t, dir, tt.env); !cmp.Equal(pulledIDs(folded), pulledIDs(st)) || folded.Serial != st.Serial {
				t.Errorf("the fold changed the state: serial %d → %d, VMs %v → %v", st.Serial, folded.Serial, pulledIDs(st), pulledIDs(folded))
			}
			if sealed := bytes.HasPrefix(readBytes(t, filepath.Join(dir, ".nova", "state.json")), []byte(`{"novacron_sealed_state":`)); sealed != (tt.env != nil) {
				t.Errorf("state.json sealed after the fold: %v, want %v", sealed, tt.env != nil)
			}

			novaEnv(t, dir, tt.env, "apply", "-auto-approve", "-var", "web_count=6").Must(t, 0, "apply after the fold")
			novaEnv(t, dir, tt.env, "plan", "-detailed-exitcode", "-var", "web_count=6").Must(t, 0, "plan after the apply")
			if diff := cmp.Diff(pulledIDs(pullState(t, dir, tt.env)), liveAddressIDs(t, dir, tt.env)); diff != "" {
				t.Errorf("the state is not the live VMs (-state +live):\n%s", diff)
			}
		})
	}
}

// TestNewerFormatsRefused: what a newer nova-plan may write — a state of
// format_version 2, a plan file of version 3, a journal of version 3, a
// sealed state of envelope version 2, a simulator snapshot of version 2 —
// is refused with exit code 1 and a message naming both versions and
// saying to upgrade nova-plan; nothing is written.
func TestNewerFormatsRefused(t *testing.T) {
	edit := func(old, new string) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			data := readBytes(t, path)
			if !bytes.Contains(data, []byte(old)) {
				t.Fatalf("%s holds no %q", path, old)
			}
			writeBytes(t, path, bytes.Replace(data, []byte(old), []byte(new), 1))
		}
	}
	tests := []struct {
		name, fixture, file string
		change              func(t *testing.T, path string)
		env                 []string
		cmds                [][]string
		want                []string
	}{
		{"state.json", "64eb284-base", ".nova/state.json", edit(`"format_version": 1,`, `"format_version": 2,`), nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "pull"}},
			[]string{"format_version", "is 2, but this build reads format_version 1", "Upgrade nova-plan"}},
		{"plan file", "64eb284-base", "plan.bin", newerPlanFile, nil,
			[][]string{{"apply", "plan.bin"}, {"show", "plan.bin"}},
			[]string{"plan.bin has plan format version 4; this nova-plan reads versions 2 and 3", "upgrade nova-plan"}},
		{"journal", "64eb284-journal", ".nova/state.journal", edit(`{"novacron_journal":2,`, `{"novacron_journal":3,`), nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "pull"}},
			[]string{"state.journal has version 3; this nova-plan reads versions 1 to 2", "upgrade nova-plan"}},
		{"sealed state", "64eb284-sealed", ".nova/state.json", edit(`{"novacron_sealed_state":1,`, `{"novacron_sealed_state":2,`), []string{fixtureKey},
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "pull"}},
			[]string{"envelope version 2; this build of NovaCron reads version 1", "upgrade nova-plan"}},
		{"simulator snapshot", "64eb284-base", ".nova/sim-lab.snap", newerSimSnapshot, nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"inventory"}},
			[]string{"sim-lab.snap", "format version 2; this NovaCron reads version 1", "upgrade nova-plan"}},
		{"simulator pointer", "64eb284-base", ".nova/sim-lab.json", edit(`{"version":2,`, `{"version":3,`), nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"inventory"}},
			[]string{"sim-lab.json", "format version 3; this NovaCron reads versions 1 and 2", "upgrade nova-plan"}},
		{"state.json beside a sim journal", "64eb284-journal", ".nova/state.json", edit(`"format_version": 1,`, `"format_version": 2,`), nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}, {"inventory"}},
			[]string{"format_version", "is 2, but this build reads format_version 1", "Upgrade nova-plan"}},
		{"sealed journal envelope", "64eb284-sealed", ".nova/state.journal", edit(`{"novacron_sealed_state":1,`, `{"novacron_sealed_state":2,`), []string{fixtureKey},
			[][]string{{"plan"}, {"apply", "-auto-approve"}},
			[]string{"envelope version 2; this build of NovaCron reads version 1", "upgrade nova-plan"}},
		{"sealed state without its key", "64eb284-sealed", ".nova/state.json", func(*testing.T, string) {}, nil,
			[][]string{{"plan"}, {"apply", "-auto-approve"}},
			[]string{"NOVA_STATE_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := upgradeFixture(t, tt.fixture)
			tt.change(t, filepath.Join(dir, tt.file))
			files := novaFiles // the whole .nova, the simulator's files too
			before := files(t, dir)
			for _, cmd := range tt.cmds {
				r := novaEnv(t, dir, tt.env, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, want := range tt.want {
					if !strings.Contains(r.Stderr, want) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], want, r.Stderr)
					}
				}
				if strings.Contains(r.Stderr, "panic") {
					t.Errorf("%s panicked:\n%s", cmd[0], r.Stderr)
				}
			}
			if diff := cmp.Diff(before, files(t, dir)); diff != "" {
				t.Errorf("a refused command wrote to .nova (-before +after):\n%s", diff)
			}
		})
	}
}

func writeBytes(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// newerPlanFile gives the saved plan at path format_version 3, with the
// checksum of its new body, as a newer nova-plan would write it.
func newerPlanFile(t *testing.T, path string) {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(readBytes(t, path), &env); err != nil {
		t.Fatal(err)
	}
	body := bytes.Replace(env["plan"], []byte(`"format_version":2`), []byte(`"format_version":4`), 1)
	if bytes.Equal(body, env["plan"]) {
		t.Fatalf("the plan body has no format_version 2:\n%.200s", body)
	}
	sum := sha256.Sum256(body)
	env["plan"], env["checksum"] = body, json.RawMessage(`"`+hex.EncodeToString(sum[:])+`"`)
	data, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	writeBytes(t, path, data)
}

// newerSimSnapshot replaces the simulator's compact snapshot by one of
// format version 2: its header, as the simulator's gob encoding of
// compactHeader{Magic, Version} writes it, and nothing this build could
// read after it.
func newerSimSnapshot(t *testing.T, path string) {
	t.Helper()
	var buf bytes.Buffer
	header := struct {
		Magic   string
		Version int
	}{"novacron sim snapshot", 2}
	if err := gob.NewEncoder(&buf).Encode(header); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("columns of a newer format")
	writeBytes(t, path, buf.Bytes())
}
