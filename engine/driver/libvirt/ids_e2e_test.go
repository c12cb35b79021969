package libvirt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// editStateVMs rewrites the state file of the workspace in dir, as a hand
// edit would, and returns the original and forged bytes.
func editStateVMs(t *testing.T, dir string, edit func(vms map[string]map[string]any)) (orig, forged []byte) {
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
	vms := map[string]map[string]any{}
	for addr, vm := range doc["vms"].(map[string]any) {
		vms[addr] = vm.(map[string]any)
	}
	edit(vms)
	doc["vms"] = vms
	if forged, err = json.MarshalIndent(doc, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	return orig, forged
}

// A state holding a VM at a second address with its UUID in upper case, or
// without dashes, used to plan a delete of "a VM already gone", and the
// apply deleted the live domain, which libvirt found by the other
// spelling. Now the plan is refused and the domain is untouched; and an
// import given an upper-case UUID finds the VM.
func TestOtherSpellingOfAVMIdInState(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "ids")
	dir := t.TempDir()
	writeSpec(t, dir, stoppedSpec(prefix, 1))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	t.Cleanup(func() { nova(t, dir, "destroy", "-auto-approve") })
	domains := leftDomains(t, l, prefix)
	if len(domains) != 1 {
		t.Fatalf("%d domains named %s*, want 1", len(domains), prefix)
	}
	id := formatUUID(domains[0].UUID)
	for _, spelling := range []string{strings.ToUpper(id), strings.ReplaceAll(id, "-", "")} {
		orig, forged := editStateVMs(t, dir, func(vms map[string]map[string]any) {
			dup := map[string]any{}
			for k, v := range vms["fleet.tiny[0]"] {
				dup[k] = v
			}
			dup["id"] = spelling
			vms["fleet.tiny[5]"] = dup
		})
		for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"destroy", "-auto-approve"}} {
			r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " ")+" with "+spelling)
			for _, w := range []string{"VM id in state is not written as the provider writes it", `at fleet.tiny[5] as "` + spelling + `"`, "write it \"" + id + "\"", "at fleet.tiny[0] too"} {
				if !strings.Contains(r.Stderr, w) {
					t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
				}
			}
		}
		if got := leftDomains(t, l, prefix); len(got) != 1 {
			t.Fatalf("the domain was deleted through the state's other spelling of its id")
		}
		if after, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.json")); string(after) != string(forged) {
			t.Errorf("the refused state was changed")
		}
		if err := os.WriteFile(filepath.Join(dir, ".nova", "state.json"), orig, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	nova(t, dir, "state", "rm", "fleet.tiny[0]").Must(t, 0, "state rm")
	nova(t, dir, "import", "fleet.tiny[0]", strings.ToUpper(id)).Must(t, 0, "import by an upper-case UUID")
	if r := nova(t, dir, "state", "show", "fleet.tiny[0]").Must(t, 0, "state show"); !strings.Contains(r.Stdout, `"`+id+`"`) {
		t.Errorf("the imported VM is recorded as:\n%s; want id %s", r.Stdout, id)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the import")
}
