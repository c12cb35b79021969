package main

import (
	"fmt"
	"maps"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// movedSpec is a fleet of n VMs named app-0 … on the simulator (so the
// fleet block's name can change without renaming a VM), with latency on
// every driver call, then extra (moved and removed blocks, more fleets).
func movedSpec(fleet string, n, cpu int, latency, extra string) string {
	return fmt.Sprintf(`
provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 512
  host_memory_gb = 2048
  latency        = %q
}

template "t" {
  sim { image = "base" }
}

fleet %q {
  count     = %d
  name      = "app-${count.index}"
  template  = template.t
  cpu       = %d
  memory_gb = 1
}
%s`, latency, fleet, n, cpu, extra)
}

const moveWebToFrontend = `
moved {
  from = fleet.web
  to   = fleet.frontend
}
`

// renamedIDs returns, by id, the address each VM of ids (address → id) has
// once fleet from is called to.
func renamedIDs(ids map[string]string, from, to string) map[string]string {
	out := map[string]string{}
	for addr, id := range ids {
		out[id] = strings.Replace(addr, from, to, 1)
	}
	return out
}

// checkMovedTo checks that the state and the markers hold exactly want
// (address by id) and that the next plan changes nothing.
func checkMovedTo(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	if diff := cmp.Diff(want, stateAddresses(t, dir)); diff != "" {
		t.Errorf("state addresses by id (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, markers(t, dir)); diff != "" {
		t.Errorf("marker addresses by id (-want +got):\n%s", diff)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the moves")
}

// Renaming a fleet of 10 VMs with a moved block plans 10 moves and nothing
// else, and the apply keeps every VM: the simulator's ids are unchanged (a
// create or a delete would change them), and state and markers name the new
// addresses.
func TestMovedFleetKeepsItsVMs(t *testing.T) {
	dir := newDir(t, movedSpec("web", 10, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)

	writeSpec(t, dir, movedSpec("frontend", 10, 1, "0s", moveWebToFrontend))
	p := planJSON(t, dir)
	var moves []string
	for _, c := range p.Changes {
		if c.Action != "move" {
			t.Errorf("the plan has %s %s, want only moves", c.Address, c.Action)
		}
		moves = append(moves, c.PreviousAddress+" → "+c.Address)
	}
	if len(moves) != 10 || !slices.Contains(moves, "fleet.web[9] → fleet.frontend[9]") {
		t.Errorf("moves planned: %v, want fleet.web[0…9] → fleet.frontend[0…9]", moves)
	}
	if diff := cmp.Diff(map[string]int{"create": 0, "update": 0, "replace": 0, "delete": 0, "migrate": 0, "start": 0, "stop": 0, "adopt": 0, "move": 10}, p.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	text := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout
	for _, w := range []string{"# fleet.web[2] has moved to fleet.frontend[2]", "Plan: 0 to add, 0 to change, 0 to destroy, 0 to migrate, 10 to move."} {
		if !strings.Contains(text, w) {
			t.Errorf("the plan does not say %q:\n%s", w, text)
		}
	}

	r := nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the moves")
	if !strings.Contains(r.Stdout, "0 added, 0 changed, 0 destroyed, 0 migrated, 10 moved.") {
		t.Errorf("apply does not report 10 moves:\n%s", r.Stdout)
	}
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("the simulator's VMs changed: a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkMovedTo(t, dir, renamedIDs(ids, "fleet.web", "fleet.frontend"))
	// moved blocks stay in the spec: once applied, they do nothing.
	if text := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout; !strings.Contains(text, "No changes.") {
		t.Errorf("the applied moved block still plans something:\n%s", text)
	}
}

// A moved VM that also changes keeps its action, carries its previous
// address, and both happen in one apply.
func TestMovedWithAChange(t *testing.T) {
	dir := newDir(t, movedSpec("web", 2, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeSpec(t, dir, movedSpec("frontend", 2, 2, "0s", moveWebToFrontend))
	p := planJSON(t, dir)
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Address+" "+c.Action+" from "+c.PreviousAddress)
	}
	want := []string{
		"fleet.frontend[0] move from fleet.web[0]", "fleet.frontend[0] update from fleet.web[0]",
		"fleet.frontend[1] move from fleet.web[1]", "fleet.frontend[1] update from fleet.web[1]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if text := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout; !strings.Contains(text, "# (moved from fleet.web[1])") {
		t.Errorf("the update does not say where the VM moved from:\n%s", text)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	for _, vm := range inventory(t, dir).VMs {
		if vm.CPU != 2 {
			t.Errorf("VM %s has %d vCPUs after the apply, want 2", vm.ID, vm.CPU)
		}
	}
	checkMovedTo(t, dir, renamedIDs(ids, "fleet.web", "fleet.frontend"))
}

// Chains resolve: web → mid → frontend moves the VMs the state records at
// fleet.web straight to fleet.frontend.
func TestMovedChain(t *testing.T) {
	dir := newDir(t, movedSpec("web", 3, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids := stateIDs(t, dir)
	writeSpec(t, dir, movedSpec("frontend", 3, 1, "0s", `
moved {
  from = fleet.mid
  to   = fleet.frontend
}
moved {
  from = fleet.web
  to   = fleet.mid
}
`))
	if diff := cmp.Diff([]string{"fleet.frontend[0] move", "fleet.frontend[1] move", "fleet.frontend[2] move"}, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	checkMovedTo(t, dir, renamedIDs(ids, "fleet.web", "fleet.frontend"))
}

// A count fleet becomes a for_each fleet, and one of its VMs a vm block.
func TestMovedCountToForEach(t *testing.T) {
	dir := newDir(t, movedSpec("web", 3, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeSpec(t, dir, `
provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 512
  host_memory_gb = 2048
}
template "t" {
  sim { image = "base" }
}
fleet "web" {
  for_each  = { a = "app-0", b = "app-1" }
  name      = each.value
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
vm "legacy" {
  name      = "app-2"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
moved {
  from = fleet.web[0]
  to   = fleet.web["a"]
}
moved {
  from = fleet.web[1]
  to   = fleet.web["b"]
}
moved {
  from = fleet.web[2]
  to   = vm.legacy
}
`)
	want := []string{`fleet.web["a"] move`, `fleet.web["b"] move`, "vm.legacy move"}
	if diff := cmp.Diff(want, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkMovedTo(t, dir, map[string]string{
		ids["fleet.web[0]"]: `fleet.web["a"]`, ids["fleet.web[1]"]: `fleet.web["b"]`, ids["fleet.web[2]"]: "vm.legacy",
	})
}

// An apply of moves killed with -9 midway leaves some VMs moved, some with
// a rewritten marker but the state not saved, some untouched: the next
// apply converges, and no VM is created or deleted.
func TestMovedKillNine(t *testing.T) {
	const n = 40
	dir := newDir(t, movedSpec("web", n, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeSpec(t, dir, movedSpec("frontend", n, 1, "150ms", moveWebToFrontend))
	cmd, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	// The simulator is locked while the apply runs: its progress shows
	// in the state file and its journal, which the writer saves as it goes.
	movedInState := func() int { return savedAddresses(dir, frontendAddr) }
	waitFor(t, "the apply to save some moves", 30*time.Second, func() bool { return movedInState() >= 4 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if got := movedInState(); got >= n {
		t.Fatalf("all %d moves were saved before the kill: the test did not kill the apply midway", got)
	}
	moved := 0
	for _, addr := range markers(t, dir) {
		if strings.HasPrefix(addr, "fleet.frontend[") {
			moved++
		}
	}
	t.Logf("after the kill: %d moves in the state file, %d markers rewritten", movedInState(), moved)
	writeSpec(t, dir, movedSpec("frontend", n, 1, "0s", moveWebToFrontend))
	p := planJSON(t, dir)
	for _, c := range p.Changes {
		if c.Action != "move" {
			t.Errorf("the plan after the kill has %s %s, want only moves", c.Address, c.Action)
		}
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply after kill -9")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkMovedTo(t, dir, renamedIDs(ids, "fleet.web", "fleet.frontend"))
}

const oldFleet = `
fleet "old" {
  count     = 2
  name      = "old-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`

// removed with destroy = false forgets the VMs: they keep running, the
// state no longer records them, later plans neither adopt nor delete
// them, and a fleet that would create a VM with the same name again gets
// the name-clash diagnostic.
func TestRemovedForgets(t *testing.T) {
	dir := newDir(t, movedSpec("web", 1, 1, "0s", oldFleet))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", `
removed {
  from = fleet.old
  lifecycle {
    destroy = false
  }
}
`))
	if diff := cmp.Diff([]string{"fleet.old[0] forget", "fleet.old[1] forget"}, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	text := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout
	if !strings.Contains(text, "Plan: 0 to add, 0 to change, 0 to destroy, 0 to migrate, 2 to forget.") {
		t.Errorf("the plan's summary does not count the forgets:\n%s", text)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	doc, _ := readStateDoc(t, dir)
	if got := slices.Sorted(maps.Keys(doc.VMs)); !slices.Equal(got, []string{"fleet.web[0]"}) {
		t.Errorf("the state records %v, want only fleet.web[0]", got)
	}
	for _, vm := range inventory(t, dir).VMs {
		if (vm.ID == ids["fleet.old[0]"] || vm.ID == ids["fleet.old[1]"]) && (vm.Address != "" || vm.Power != "running") {
			t.Errorf("forgotten VM %s: address %q, power %s; want unmanaged and running", vm.ID, vm.Address, vm.Power)
		}
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with the removed block")
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", ""))
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan without the removed block")

	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", oldFleet))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan that declares the forgotten fleet again")
	if !strings.Contains(r.Stderr, "VM name already in use") || !strings.Contains(r.Stderr, "removed from this workspace's management") {
		t.Errorf("declaring the forgotten VMs again is not the name clash:\n%s", r.Stderr)
	}
}

// removed with destroy = true (the default) plans the deletes, saying why.
func TestRemovedDestroys(t *testing.T) {
	dir := newDir(t, movedSpec("web", 1, 1, "0s", oldFleet))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", `
removed {
  from = fleet.old
}
`))
	p := planJSON(t, dir)
	if diff := cmp.Diff([]string{"fleet.old[0] delete", "fleet.old[1] delete"}, p.actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if r := p.Changes[0].Reasons; len(r) != 1 || !strings.Contains(r[0], "removed by the removed block at main.nova.hcl:") {
		t.Errorf("the delete's reasons are %q, want the removed block's", r)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if got := len(liveIDs(t, dir)); got != 1 {
		t.Errorf("%d VMs left, want 1", got)
	}
}

// The state file of before the moves, put back after they were applied,
// is what an apply killed after it rewrote the markers but before it
// saved the state leaves: the markers name the new addresses, the state
// the old. The next plan moves the VMs in the state only, and converges.
func TestMovedMarkersAheadOfState(t *testing.T) {
	dir := newDir(t, movedSpec("web", 3, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	_, old := readStateDoc(t, dir)
	writeSpec(t, dir, movedSpec("frontend", 3, 1, "0s", moveWebToFrontend))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the moves")
	if err := os.WriteFile(filepath.Join(dir, ".nova", "state.json"), old, 0o600); err != nil {
		t.Fatal(err)
	}
	p := planJSON(t, dir)
	if diff := cmp.Diff([]string{"fleet.frontend[0] move", "fleet.frontend[1] move", "fleet.frontend[2] move"}, p.actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if r := p.Changes[0].Reasons; len(r) != 2 || !strings.Contains(r[1], "its ownership marker already names fleet.frontend[0]") {
		t.Errorf("the move's reasons are %q, want it to say the marker is already rewritten", r)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	checkMovedTo(t, dir, renamedIDs(ids, "fleet.web", "fleet.frontend"))
}

// Moves the state contradicts, and moves that contradict each other, are
// diagnostics naming both places, and change nothing (golden files:
// testdata/golden/moved-*.txt, -update to rewrite them).
func TestMovedDiagnosticsGolden(t *testing.T) {
	both := `
fleet "frontend" {
  count     = 2
  name      = "fe-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`
	dir := newDir(t, movedSpec("web", 2, 1, "0s", both))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	doc, stateBefore := readStateDoc(t, dir)
	// fleet.frontend is both a moved block's destination and in the state.
	writeSpec(t, dir, movedSpec("frontend", 2, 1, "0s", moveWebToFrontend))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan moving onto recorded VMs")
	// The sim numbers VMs in the order the parallel apply created them:
	// the golden names each VM by the address the state records it at.
	var ids []string
	for addr, vm := range doc.VMs {
		ids = append(ids, vm.ID, "<id of "+addr+">")
	}
	golden(t, "moved-taken.txt", strings.NewReplacer(ids...).Replace(r.Stderr))

	writeSpec(t, dir, movedSpec("frontend", 2, 1, "0s", `
moved {
  from = fleet.web
  to   = fleet.frontend
}
moved {
  from = fleet.web[1]
  to   = fleet.frontend[1]
}
moved {
  from = fleet.a
  to   = fleet.b
}
moved {
  from = fleet.b
  to   = fleet.a
}
removed {
  from = fleet.frontend
}
`))
	r = nova(t, dir, "validate", "-no-color").Must(t, 1, "validate contradicting moves")
	golden(t, "moved-conflicts.txt", r.Stderr)
	if _, after := readStateDoc(t, dir); string(after) != string(stateBefore) {
		t.Errorf("the refused plans changed the state")
	}
}

// BenchmarkPlanRename10k: `plan` of the 10,000-VM fleet of
// BenchmarkPlanNoChanges10k renamed with a moved block: 10,000 moves, the
// whole process timed. Target (issue 17): under 1 s.
func BenchmarkPlanRename10k(b *testing.B) {
	dir := benchDir(b, "0s")
	timed(b, dir, 0, "apply", "-auto-approve", "-parallelism=100")
	renamed := strings.Replace(benchSpec("0s"), `fleet "app" {`, `fleet "web" {
  name      = "app-${count.index}"`, 1) + `
moved {
  from = fleet.app
  to   = fleet.web
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(renamed), 0o644); err != nil {
		b.Fatal(err)
	}
	cmd := osexec.Command(novaBin, "plan", "-json")
	cmd.Dir = dir
	if out, err := cmd.Output(); err != nil || strings.Count(string(out), `"action": "move"`) != benchVMs {
		b.Fatalf("the renamed fleet does not plan %d moves (%v)", benchVMs, err)
	}
	// The machine is shared: the process's CPU time (user and system) is
	// reported beside the wall time, which waits for other processes too.
	var peak int64
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := osexec.Command(novaBin, "plan", "-detailed-exitcode")
		cmd.Dir = dir
		if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
			b.Fatalf("plan -detailed-exitcode of the renamed fleet: %v, want exit code 2", err)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		peak = max(peak, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss*1024)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
}

// A fleet renamed and shrunk at once: the VM left out is deleted, and the
// state forgets it at its old address too.
func TestMovedAndShrunk(t *testing.T) {
	dir := newDir(t, movedSpec("web", 3, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids := stateIDs(t, dir)
	writeSpec(t, dir, movedSpec("frontend", 2, 1, "0s", moveWebToFrontend))
	want := []string{"fleet.frontend[0] move", "fleet.frontend[1] move", "fleet.frontend[2] delete"}
	if diff := cmp.Diff(want, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	checkMovedTo(t, dir, map[string]string{ids["fleet.web[0]"]: "fleet.frontend[0]", ids["fleet.web[1]"]: "fleet.frontend[1]"})
}

// frontendAddr is an address the rename killed with -9 moves a VM to.
var frontendAddr = regexp.MustCompile(`"fleet\.frontend\[[0-9]+\]"`)
