package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// savedFiles is a copy of some files of a workspace's .nova folder, to put
// back as an apply killed before its save leaves them.
type savedFiles map[string][]byte

// saveFiles copies the files of dir/.nova whose names keep says to keep.
func saveFiles(t *testing.T, dir string, keep func(name string) bool) savedFiles {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, ".nova"))
	if err != nil {
		t.Fatal(err)
	}
	out := savedFiles{}
	for _, e := range entries {
		if !e.IsDir() && keep(e.Name()) {
			out[e.Name()] = readFile(t, filepath.Join(dir, ".nova", e.Name()))
		}
	}
	return out
}

// restore writes the saved files back.
func (s savedFiles) restore(t *testing.T, dir string) {
	t.Helper()
	for name, b := range s {
		if err := os.WriteFile(filepath.Join(dir, ".nova", name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBurstComeHomeInterrupted: an apply that brings a burst VM home makes
// the home VM first; killed before it saves the state, it leaves the home
// VM carrying the marker and the burst VM in state. The next plan completes
// the move (adopt at home, delete on the cloud) instead of keeping both.
func TestBurstComeHomeInterrupted(t *testing.T) {
	dir := newDir(t, burstFleets(false, ""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply bursting web[1]")
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0", "-target", "fleet.filler").Must(t, 0, "apply freeing room")
	saved := saveFiles(t, dir, func(name string) bool {
		return name == "state.json" || strings.HasPrefix(name, "sim-cloud.")
	})
	if len(saved) < 2 {
		t.Fatalf("saved %d files of .nova, want the state and the cloud sim's", len(saved))
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply bringing web[1] home")
	saved.restore(t, dir) // as a kill after the home create, before the save
	sameChanges(t, "after the lost save", burstChanges(costPlanJSON(t, dir, "-var", "filler=0")), []burstChange{
		{"fleet.web[1]", "delete", "sim.cloud"}, {"fleet.web[1]", "adopt", "sim.onprem"},
	})
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=0").Must(t, 0, "apply completing the move")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode", "-var", "filler=0").Must(t, 0, "plan after completing the move")
	inv := nova(t, dir, "inventory", "-no-color").Must(t, 0, "inventory").Stdout
	var named []string
	for _, line := range strings.Split(inv, "\n") {
		if strings.Contains(line, " web-1 ") {
			named = append(named, strings.Join(strings.Fields(line), " "))
		}
	}
	if len(named) != 1 || !strings.HasPrefix(named[0], "sim.onprem ") || !strings.HasSuffix(named[0], " fleet.web[1]") {
		t.Fatalf("want one web-1, on sim.onprem, managed as fleet.web[1]; inventory:\n%s", inv)
	}
}

// TestDriftPendingIsThePlans: drift's pending changes of burst VMs are the
// plan's. A burst VM the full home cannot take stays where it runs: no
// pending replace home while the plan has no change; and a tag the spec
// adds is a pending update of the burst VM too, as the plan shows it.
func TestDriftPendingIsThePlans(t *testing.T) {
	dir := newDir(t, burstFleets(false, ""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply bursting web[1]")
	nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan with no change")
	pendingOf := func() []string {
		var got []string
		for _, p := range driftJSONOf(t, dir, 0).Pending {
			line := p.Address + " " + p.Action
			for _, c := range p.Changes {
				line += " " + c.Path + " " + jsonText(c.Applied) + "→" + jsonText(c.Spec)
			}
			got = append(got, line)
		}
		return got
	}
	if got := pendingOf(); len(got) != 0 {
		t.Errorf("drift lists pending changes %q where the plan has none", got)
	}
	writeSpec(t, dir, strings.Replace(burstFleets(false, ""), "depends_on = [fleet.filler]", "depends_on = [fleet.filler]\n  tags       = { tier = \"web\" }", 1))
	var planned []string
	for _, c := range burstChanges(costPlanJSON(t, dir)) {
		planned = append(planned, c.address+" "+c.action)
	}
	var got []string
	for _, p := range pendingOf() {
		got = append(got, strings.Join(strings.Fields(p)[:2], " "))
	}
	if strings.Join(got, ",") != strings.Join(planned, ",") || len(got) != 2 {
		t.Errorf("drift's pending changes %q, the plan's %q: want the same two updates", got, planned)
	}
	if p := pendingOf(); len(p) == 2 && !strings.Contains(p[1], "tags.tier") {
		t.Errorf("the burst VM's pending update lacks the tag: %q", p[1])
	}
}

// TestBurstToChanged: burst_to changed from sim.cloud to sim.cloud2 while
// home is full: the burst VM is replaced on sim.cloud2, made there before
// the sim.cloud one goes, and the reason names that move, not one home.
func TestBurstToChanged(t *testing.T) {
	dir := newDir(t, burstFleets(false, ""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply bursting web[1]")
	cloud2 := "\nprovider \"sim\" \"cloud2\" {\n  hosts    = 2\n  host_cpu = 64\n}\n"
	writeSpec(t, dir, strings.Replace(burstFleets(false, ""), "burst_to = provider.sim.cloud", "burst_to = provider.sim.cloud2", 1)+cloud2)
	r := nova(t, dir, "plan", "-json").Must(t, 0, "plan")
	var p struct {
		Changes []struct {
			Address             string   `json:"address"`
			Action              string   `json:"action"`
			Provider            string   `json:"provider"`
			Reasons             []string `json:"reasons"`
			CreateBeforeDestroy bool     `json:"create_before_destroy"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json: %v\n%s", err, r.Stdout)
	}
	if len(p.Changes) != 1 {
		t.Fatalf("changes %+v; want the replace of web[1]", p.Changes)
	}
	c := p.Changes[0]
	if c.Address != "fleet.web[1]" || c.Action != "replace" || c.Provider != "sim.cloud2" || !c.CreateBeforeDestroy ||
		len(c.Reasons) == 0 || c.Reasons[0] != "provider changes from sim.cloud to sim.cloud2" {
		t.Errorf("change %+v; want web[1] replaced on sim.cloud2, create before destroy, for the move from sim.cloud", c)
	}
}
