package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state/local"
)

// rootSpec is movedSpec's provider and template, then extra (module
// blocks, fleets, moved blocks).
func rootSpec(latency, extra string) string {
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
%s`, latency, extra)
}

// writeModule writes the module folder modules/NAME of dir.
func writeModule(t *testing.T, dir, name, body string) {
	t.Helper()
	mod := filepath.Join(dir, "modules", name)
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "main.nova.hcl"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// webModule is a module with a fleet NAME of var.n VMs named
// ${var.prefix}app-N (movedSpec's names with an empty prefix), then extra.
func webModule(fleet, extra string) string {
	return fmt.Sprintf(`
variable "n" {
  type = number
}

variable "prefix" {
  type    = string
  default = ""
}

fleet %q {
  count     = var.n
  name      = "${var.prefix}app-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
%s`, fleet, extra)
}

// checkOnlyMoves checks that the plan of dir moves want VMs and does
// nothing else, and returns the moves as "from → to".
func checkOnlyMoves(t *testing.T, dir string, want int) []string {
	t.Helper()
	var moves []string
	for _, c := range planJSON(t, dir).Changes {
		if c.Action != "move" {
			t.Errorf("the plan has %s %s, want only moves", c.Address, c.Action)
		}
		moves = append(moves, c.PreviousAddress+" → "+c.Address)
	}
	if len(moves) != want {
		t.Errorf("%d moves planned, want %d: %v", len(moves), want, moves)
	}
	return moves
}

// applyMoves applies the moves of dir and checks that no VM was created or
// deleted, and that state and markers name each VM of ids (address → id)
// at the address rename gives it.
func applyMoves(t *testing.T, dir string, ids map[string]string, before map[string]bool, rename func(string) string) {
	t.Helper()
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the moves")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("the simulator's VMs changed: a VM was created or deleted (-before +after):\n%s", diff)
	}
	want := map[string]string{}
	for addr, id := range ids {
		want[id] = rename(addr)
	}
	checkMovedTo(t, dir, want)
}

// A fleet of 10 moved into a module is 10 moves and nothing else: the
// same simulator VMs, state and markers at the module's addresses; and
// moved out again, back at the root's.
func TestMovedIntoAndOutOfModule(t *testing.T) {
	dir := newDir(t, movedSpec("web", 10, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)

	writeModule(t, dir, "web", webModule("web", ""))
	writeSpec(t, dir, rootSpec("0s", `
module "web_prod" {
  source = "./modules/web"
  n      = 10
}

moved {
  from = fleet.web
  to   = module.web_prod.fleet.web
}
`))
	moves := checkOnlyMoves(t, dir, 10)
	if !strings.Contains(strings.Join(moves, "\n"), "fleet.web[7] → module.web_prod.fleet.web[7]") {
		t.Errorf("moves: %v, want fleet.web[N] → module.web_prod.fleet.web[N]", moves)
	}
	into := func(a string) string { return "module.web_prod." + a }
	applyMoves(t, dir, ids, before, into)

	ids = stateIDs(t, dir)
	writeSpec(t, dir, movedSpec("web", 10, 1, "0s", `
moved {
  from = module.web_prod.fleet.web
  to   = fleet.web
}
`))
	checkOnlyMoves(t, dir, 10)
	applyMoves(t, dir, ids, before, func(a string) string { return strings.TrimPrefix(a, "module.web_prod.") })
}

// One VM moves into a module instance at another index.
func TestMovedOneVMIntoModule(t *testing.T) {
	dir := newDir(t, movedSpec("web", 3, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeModule(t, dir, "web", strings.Replace(webModule("web", ""), `"${var.prefix}app-${count.index}"`, `"app-2"`, 1))
	writeSpec(t, dir, movedSpec("web", 2, 1, "0s", `
module "x" {
  source = "./modules/web"
  n      = 1
}

moved {
  from = fleet.web[2]
  to   = module.x.fleet.web[0]
}
`))
	if diff := cmp.Diff([]string{"fleet.web[2] → module.x.fleet.web[0]"}, checkOnlyMoves(t, dir, 1)); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	applyMoves(t, dir, ids, before, func(a string) string {
		if a == "fleet.web[2]" {
			return "module.x.fleet.web[0]"
		}
		return a
	})
}

// A module call renamed moves every VM under it, those of the modules it
// calls too.
func TestMovedModuleRenamed(t *testing.T) {
	dir := newDir(t, rootSpec("0s", ""))
	writeModule(t, dir, "inner", `
vm "db" {
  name      = "db"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`)
	writeModule(t, dir, "web", webModule("web", `
module "inner" {
  source = "../inner"
}
`))
	call := func(name, extra string) string {
		return rootSpec("0s", fmt.Sprintf("module %q {\n  source = \"./modules/web\"\n  n      = 3\n}\n%s", name, extra))
	}
	writeSpec(t, dir, call("a", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	if _, ok := ids["module.a.module.inner.vm.db"]; !ok {
		t.Fatalf("the state does not record the nested module's VM: %v", ids)
	}
	writeSpec(t, dir, call("b", "moved {\n  from = module.a\n  to   = module.b\n}\n"))
	moves := checkOnlyMoves(t, dir, 4)
	if !strings.Contains(strings.Join(moves, "\n"), "module.a.module.inner.vm.db → module.b.module.inner.vm.db") {
		t.Errorf("the nested module's VM does not move: %v", moves)
	}
	applyMoves(t, dir, ids, before, func(a string) string { return strings.Replace(a, "module.a.", "module.b.", 1) })
}

// A module block's count turned into for_each: module.a[0] →
// module.a["prod"], module.a[1] → module.a["stage"].
func TestMovedModuleCountToForEach(t *testing.T) {
	dir := newDir(t, rootSpec("0s", `
module "a" {
  count  = 2
  source = "./modules/web"
  n      = 2
  prefix = ["prod", "stage"][count.index]
}
`))
	writeModule(t, dir, "web", webModule("web", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeSpec(t, dir, rootSpec("0s", `
module "a" {
  for_each = toset(["prod", "stage"])
  source   = "./modules/web"
  n        = 2
  prefix   = each.key
}

moved {
  from = module.a[0]
  to   = module.a["prod"]
}

moved {
  from = module.a[1]
  to   = module.a["stage"]
}
`))
	checkOnlyMoves(t, dir, 4)
	r := strings.NewReplacer("module.a[0]", `module.a["prod"]`, "module.a[1]", `module.a["stage"]`)
	applyMoves(t, dir, ids, before, r.Replace)
}

// A moved block inside a module moves the VMs of every instance of it.
func TestMovedInsideModule(t *testing.T) {
	spec := rootSpec("0s", `
module "p" {
  source = "./modules/web"
  n      = 3
  prefix = "p-"
}

module "s" {
  source = "./modules/web"
  n      = 3
  prefix = "s-"
}
`)
	dir := newDir(t, spec)
	writeModule(t, dir, "web", webModule("web", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeModule(t, dir, "web", webModule("frontend", "moved {\n  from = fleet.web\n  to   = fleet.frontend\n}\n"))
	moves := checkOnlyMoves(t, dir, 6)
	for _, w := range []string{"module.p.fleet.web[0] → module.p.fleet.frontend[0]", "module.s.fleet.web[2] → module.s.fleet.frontend[2]"} {
		if !strings.Contains(strings.Join(moves, "\n"), w) {
			t.Errorf("the moves do not include %s: %v", w, moves)
		}
	}
	applyMoves(t, dir, ids, before, func(a string) string { return strings.Replace(a, ".fleet.web[", ".fleet.frontend[", 1) })
}

// movedAddr is an address TestMovedIntoModuleKillNine moves a VM to.
var movedAddr = regexp.MustCompile(`"module\.m\.fleet\.web\[[0-9]+\]"`)

// savedAddresses counts the addresses matching re that a running apply has
// saved: in state.json or in its journal (state.journal).
func savedAddresses(dir string, re *regexp.Regexp) int {
	saved := map[string]bool{}
	for _, name := range []string{"state.json", local.JournalFile} {
		data, _ := os.ReadFile(filepath.Join(dir, ".nova", name))
		for _, a := range re.FindAllString(string(data), -1) {
			saved[a] = true
		}
	}
	return len(saved)
}

// An apply of moves into a module killed with -9 midway converges on the
// next apply, with the same VMs.
func TestMovedIntoModuleKillNine(t *testing.T) {
	const n = 30
	dir := newDir(t, movedSpec("web", n, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)
	writeModule(t, dir, "web", webModule("web", ""))
	moved := func(latency string) string {
		return rootSpec(latency, fmt.Sprintf(`
module "m" {
  source = "./modules/web"
  n      = %d
}

moved {
  from = fleet.web
  to   = module.m.fleet.web
}
`, n))
	}
	writeSpec(t, dir, moved("150ms"))
	cmd, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	movedInState := func() int { return savedAddresses(dir, movedAddr) }
	waitFor(t, "the apply to save some moves", 30*time.Second, func() bool { return movedInState() >= 4 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if got := movedInState(); got >= n {
		t.Fatalf("all %d moves were saved before the kill: the test did not kill the apply midway", got)
	}
	writeSpec(t, dir, moved("0s"))
	for _, c := range planJSON(t, dir).Changes {
		if c.Action != "move" {
			t.Errorf("the plan after the kill has %s %s, want only moves", c.Address, c.Action)
		}
	}
	applyMoves(t, dir, ids, before, func(a string) string { return "module.m." + a })
}

// Moves into modules that the state or each other contradict are
// diagnostics naming both places, and change nothing (golden files:
// testdata/golden/moved-module-*.txt, -update to rewrite them).
func TestMovedModuleDiagnosticsGolden(t *testing.T) {
	dir := newDir(t, movedSpec("web", 2, 1, "0s", "module \"m\" {\n  source = \"./modules/web\"\n  n      = 2\n  prefix = \"m-\"\n}\n"))
	writeModule(t, dir, "web", webModule("web", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	doc, stateBefore := readStateDoc(t, dir)
	// module.m.fleet.web is both the destination and in the state.
	writeSpec(t, dir, rootSpec("0s", "module \"m\" {\n  source = \"./modules/web\"\n  n      = 2\n  prefix = \"m-\"\n}\n\nmoved {\n  from = fleet.web\n  to   = module.m.fleet.web\n}\n"))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan moving onto recorded VMs")
	var ids []string
	for addr, vm := range doc.VMs {
		ids = append(ids, vm.ID, "<id of "+addr+">")
	}
	golden(t, "moved-module-taken.txt", strings.NewReplacer(ids...).Replace(r.Stderr))

	// module.m renamed n, and fleet.web[0] moved to module.n.fleet.web[0]:
	// module.m.fleet.web[0] goes there too.
	writeSpec(t, dir, rootSpec("0s", "module \"n\" {\n  source = \"./modules/web\"\n  n      = 2\n  prefix = \"m-\"\n}\n\nmoved {\n  from = module.m\n  to   = module.n\n}\n\nmoved {\n  from = fleet.web[0]\n  to   = module.n.fleet.web[0]\n}\n"))
	r = nova(t, dir, "plan", "-no-color").Must(t, 1, "plan moving two VMs to one address")
	golden(t, "moved-module-two-to-one.txt", r.Stderr)

	writeSpec(t, dir, movedSpec("web", 2, 1, "0s", `
module "m" {
  source = "./modules/web"
  n      = 2
  prefix = "m-"
}

moved {
  from = module.old
  to   = module.m
}

moved {
  from = module.older
  to   = module.m
}

moved {
  from = module.old.fleet.web[0]
  to   = fleet.web[0]
}

moved {
  from = module.gone
  to   = fleet.web
}
`))
	r = nova(t, dir, "validate", "-no-color").Must(t, 1, "validate contradicting module moves")
	golden(t, "moved-module-conflicts.txt", r.Stderr)
	if _, after := readStateDoc(t, dir); string(after) != string(stateBefore) {
		t.Errorf("the refused plans changed the state")
	}
}
