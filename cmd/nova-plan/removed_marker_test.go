package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// movedSimConfig is the provider block of movedSpec, for outOfBand.
var movedSimConfig = driver.Config{"hosts": int64(4), "host_cpu": int64(512), "host_memory_gb": float64(2048)}

// taggedFleet is a fleet "old" of n VMs named old-0 … with a user tag.
func taggedFleet(n int) string {
	return fmt.Sprintf(`
fleet "old" {
  count     = %d
  name      = "old-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
  tags      = { team = "data" }
}
`, n)
}

const forgetOld = `
removed {
  from = fleet.old
  lifecycle {
    destroy = false
  }
}
`

// simVMs reads the workspace's simulated provider behind NovaCron's back
// and returns its VMs by name.
func simVMs(t *testing.T, dir string) map[string]driver.VM {
	t.Helper()
	var out map[string]driver.VM
	outOfBand(t, dir, "lab", movedSimConfig, func(_ *sim.Driver, byName map[string]driver.VM) { out = byName })
	return out
}

// checkReleased checks that each VM named old-0 … old-(n-1) exists with
// no ownership marker and its user tag.
func checkReleased(t *testing.T, dir string, n int) {
	t.Helper()
	vms := simVMs(t, dir)
	for i := range n {
		name := fmt.Sprintf("old-%d", i)
		vm, ok := vms[name]
		switch {
		case !ok:
			t.Errorf("forgotten VM %s is gone", name)
		case vm.Marker != nil:
			t.Errorf("forgotten VM %s still carries the ownership marker %+v", name, *vm.Marker)
		case !cmp.Equal(vm.Tags, map[string]string{"team": "data"}):
			t.Errorf("forgotten VM %s has tags %v, want team = data", name, vm.Tags)
		}
	}
}

// dropAbandoned deletes the state's abandoned list by hand.
func dropAbandoned(t *testing.T, dir string) {
	t.Helper()
	forgeState(t, dir, func(doc map[string]any) {
		if _, ok := doc["abandoned"]; !ok {
			t.Fatal("the state has no abandoned list to delete")
		}
		delete(doc, "abandoned")
	})
}

// A forget releases the VM: the apply clears its ownership marker and
// keeps its user tags, so even a state that lost its abandoned list (an
// older or lost state) never adopts it again; a fleet that declares it
// again meets an unmarked VM of that name, the name clash.
func TestRemovedReleasesTheMarker(t *testing.T) {
	dir := newDir(t, movedSpec("web", 1, 1, "0s", taggedFleet(2)))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", forgetOld))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the forgets")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkReleased(t, dir, 2)

	dropAbandoned(t, dir)
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with the removed block, without the abandoned list")
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", ""))
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan without the removed block or the abandoned list")
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", taggedFleet(2)))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan that declares the forgotten fleet again")
	if !strings.Contains(r.Stderr, "VM name already in use") || strings.Contains(r.Stdout, "adopt") {
		t.Errorf("declaring the forgotten VMs again is not the name clash:\nstdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
	if got := slices.Sorted(maps.Keys(stateIDs(t, dir))); !slices.Equal(got, []string{"fleet.web[0]"}) {
		t.Errorf("the state records %v, want only fleet.web[0]", got)
	}
}

// An apply that dies after it cleared the markers but before it saved the
// state (the state of before the apply put back) converges: the next plan
// forgets the VMs again, and the apply after it abandons them.
func TestRemovedMarkerClearedStateNotSaved(t *testing.T) {
	dir := newDir(t, movedSpec("web", 1, 1, "0s", taggedFleet(2)))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	_, old := readStateDoc(t, dir)
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", forgetOld))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the forgets")
	restoreState(t, dir, old)
	if diff := cmp.Diff([]string{"fleet.old[0] forget", "fleet.old[1] forget"}, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the forgets again")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the forgets")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkReleased(t, dir, 2)
	var doc struct {
		Abandoned []map[string]string `json:"abandoned"`
	}
	if _, data := readStateDoc(t, dir); json.Unmarshal(data, &doc) != nil || len(doc.Abandoned) != 2 {
		t.Errorf("the state abandons %v, want the two forgotten VMs", doc.Abandoned)
	}
}

// An apply of forgets killed with -9 midway converges: the next plan has
// only forgets, its apply releases every VM, and none is created or
// deleted.
func TestRemovedKillNine(t *testing.T) {
	const n = 40
	dir := newDir(t, movedSpec("web", 1, 1, "0s", taggedFleet(n)))
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	writeSpec(t, dir, movedSpec("web", 1, 1, "150ms", forgetOld))
	cmd, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	// The state's files show a forget once its VM is abandoned.
	abandoned := func() bool {
		for _, f := range []string{"state.json", "state.journal"} {
			data, _ := os.ReadFile(filepath.Join(dir, ".nova", f))
			if strings.Contains(string(data), `"abandoned"`) {
				return true
			}
		}
		return false
	}
	waitFor(t, "the apply to save a forget", 60*time.Second, abandoned)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", forgetOld))
	p := planJSON(t, dir)
	if len(p.Changes) == 0 || len(p.Changes) >= n {
		t.Fatalf("the plan after the kill has %d changes: the test did not kill the apply midway", len(p.Changes))
	}
	for _, c := range p.Changes {
		if c.Action != "forget" {
			t.Errorf("the plan after the kill has %s %s, want only forgets", c.Address, c.Action)
		}
	}
	t.Logf("after the kill: %d of %d forgets left", len(p.Changes), n)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply after kill -9")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the forgets")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkReleased(t, dir, n)
}
