package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keyedModules is module "m" for_each = {big = 3, small = 1} of webModule.
const keyedModules = `
module "m" {
  for_each = { big = 3, small = 1 }
  source   = "./modules/web"
  n        = each.value
  prefix   = "${each.key}-"
}
`

// perVMMoves is a moved block inside the module for each index of want.
func perVMMoves(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("moved {\n  from = fleet.old[" + pairs[i] + "]\n  to   = fleet.web[" + pairs[i+1] + "]\n}\n")
	}
	return b.String()
}

// Per-VM moved blocks inside a module apply to each instance whose state
// records their from: module.m["small"] has no fleet.old[2], so the move
// of fleet.old[2] does nothing there, and the plan is the four moves. A
// move whose from an instance's state records still must land on an
// address that instance declares.
func TestMovedPerVMInsideKeyedModule(t *testing.T) {
	dir := newDir(t, rootSpec("0s", keyedModules))
	writeModule(t, dir, "web", webModule("old", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids, before := stateIDs(t, dir), liveIDs(t, dir)

	writeModule(t, dir, "web", webModule("web", perVMMoves("0", "0", "1", "1", "2", "5")))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan moving big's old[2] to web[5]")
	if want := `moves module.m["big"].fleet.old[2], which the state records, to module.m["big"].fleet.web[5], an address the spec does not declare`; !strings.Contains(strings.Join(strings.Fields(r.Stderr), " "), want) {
		t.Errorf("plan does not say %q:\n%s", want, r.Stderr)
	}

	writeModule(t, dir, "web", webModule("web", perVMMoves("0", "0", "1", "1", "2", "2")))
	nova(t, dir, "validate").Must(t, 0, "validate per-VM moves in a keyed module")
	moves := checkOnlyMoves(t, dir, 4)
	if want := `module.m["small"].fleet.old[0] → module.m["small"].fleet.web[0]`; !strings.Contains(strings.Join(moves, "\n"), want) {
		t.Errorf("the moves do not include %s: %v", want, moves)
	}
	applyMoves(t, dir, ids, before, func(a string) string { return strings.Replace(a, ".fleet.old[", ".fleet.web[", 1) })
}

// A module with count moved to one with for_each lands every VM on an
// address the spec does not declare: each is deleted there, and the plan
// says it moved (text and JSON count it once under move) and warns at the
// moved block.
func TestMovedToUndeclaredCountsAndWarns(t *testing.T) {
	dir := newDir(t, rootSpec("0s", "module \"m\" {\n  count  = 2\n  source = \"./modules/web\"\n  n      = 1\n  prefix = \"m${count.index}-\"\n}\n"))
	writeModule(t, dir, "web", webModule("web", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, rootSpec("0s", "module \"n\" {\n  for_each = toset([\"a\", \"b\"])\n  source   = \"./modules/web\"\n  n        = 1\n  prefix   = \"n${each.key}-\"\n}\n\nmoved {\n  from = module.m\n  to   = module.n\n}\n"))
	p := planJSON(t, dir)
	if diff := cmp.Diff(map[string]int{"create": 2, "delete": 2, "move": 2}, nonZero(p.Summary)); diff != "" {
		t.Errorf("JSON summary (-want +got):\n%s", diff)
	}
	r := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan")
	out := r.Stdout + r.Stderr
	for _, want := range []string{
		"# (module.m[0].fleet.web[0] has moved to module.n[0].fleet.web[0])",
		"Plan: 2 to add, 0 to change, 2 to destroy, 0 to migrate, 2 to move.",
		"Warning: Moved to an undeclared address",
		"main.nova.hcl line 19",
		"moves 2 VM(s) to addresses the spec does not declare (module.m[0].fleet.web[0] → module.n[0].fleet.web[0], module.m[1].fleet.web[0] → module.n[1].fleet.web[0])",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}
}

// nonZero drops the zero counts of a summary.
func nonZero(s map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range s {
		if n != 0 {
			out[k] = n
		}
	}
	return out
}
