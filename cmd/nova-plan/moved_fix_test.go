package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A removed block inside a module names the module's VMs: with destroy =
// false its instance's VMs are forgotten, not deleted.
func TestRemovedInsideModule(t *testing.T) {
	old := "\nfleet \"old\" {\n  count     = 2\n  name      = \"old-${count.index}\"\n  template  = template.t\n  cpu       = 1\n  memory_gb = 1\n}\n"
	dir := newDir(t, rootSpec("0s", "module \"m\" {\n  source = \"./modules/web\"\n  n      = 1\n}\n"))
	writeModule(t, dir, "web", webModule("web", old))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	writeModule(t, dir, "web", webModule("web", "removed {\n  from = fleet.old\n  lifecycle {\n    destroy = false\n  }\n}\n"))
	if diff := cmp.Diff([]string{"module.m.fleet.old[0] forget", "module.m.fleet.old[1] forget"}, planJSON(t, dir).actions()); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the removed block")
	if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
		t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the forgets")
}

// lifecycle.prevent_destroy follows a VM a moved block moves: the shrink
// of the renamed fleet, and a destroy of the renamed fleet before the
// moves are applied, are refused as they are without a rename.
func TestMovedKeepsPreventDestroy(t *testing.T) {
	const protect = `
  lifecycle {
    prevent_destroy = true
  }
`
	spec := func(fleet string, n int, extra string) string {
		s := movedSpec(fleet, n, 1, "0s", extra)
		return strings.Replace(s, "memory_gb = 1\n", "memory_gb = 1\n"+protect, 1)
	}
	dir := newDir(t, spec("web", 4, ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)

	writeSpec(t, dir, spec("app", 2, "moved {\n  from = fleet.web\n  to   = fleet.app\n}\n"))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan that shrinks a protected, renamed fleet")
	if !strings.Contains(r.Stderr, "VM cannot be destroyed") || !strings.Contains(r.Stderr, "fleet.app[3]") {
		t.Errorf("the shrink is not refused:\n%s\n%s", r.Stdout, r.Stderr)
	}

	writeSpec(t, dir, spec("app", 4, "moved {\n  from = fleet.web\n  to   = fleet.app\n}\n"))
	r = nova(t, dir, "destroy", "-auto-approve", "-no-color").Must(t, 1, "destroy of a protected, renamed fleet")
	if !strings.Contains(r.Stderr, "VM cannot be destroyed") {
		t.Errorf("the destroy is not refused:\n%s\n%s", r.Stdout, r.Stderr)
	}
	if got := liveIDs(t, dir); len(got) != len(before) {
		t.Errorf("VMs left: %d, want %d", len(got), len(before))
	}
}

// The history of a moved block's move names the address the VM moved
// from, as state mv's does, and the old address finds it.
func TestMovedHistoryRecordsFrom(t *testing.T) {
	dir := newDir(t, movedSpec("web", 1, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, movedSpec("app", 1, 1, "0s", "moved {\n  from = fleet.web\n  to   = fleet.app\n}\n"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	r := nova(t, dir, "history", "-json", "-address=fleet.app[0]").Must(t, 0, "history -address=fleet.app[0]")
	var h struct {
		Records []struct{ Kind, Address, Action, Outcome string } `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &h); err != nil {
		t.Fatalf("history -json: %v\n%s", err, r.Stdout)
	}
	found := false
	for _, rec := range h.Records {
		found = found || (rec.Kind == "action" && rec.Action == "move from fleet.web[0]" && rec.Outcome == "ok")
	}
	if !found {
		t.Errorf("history of fleet.app[0] = %+v, want an action record \"move from fleet.web[0]\"", h.Records)
	}
	r = nova(t, dir, "history", "-address=fleet.web[0]").Must(t, 0, "history -address=fleet.web[0]")
	if !strings.Contains(r.Stdout, "fleet.app[0]  move from fleet.web[0]  ok") {
		t.Errorf("history of fleet.web[0] does not show the move:\n%s", r.Stdout)
	}
}

// A vm block and a fleet without count or for_each name one VM each, so a
// moved block moves one to the other, either way, keeping the VM.
func TestMovedVMToWholeFleet(t *testing.T) {
	const vm = "vm \"db\" {\n  name      = \"db\"\n  template  = template.t\n  cpu       = 1\n  memory_gb = 1\n}\n"
	const fleet = "fleet \"dbf\" {\n  name      = \"db\"\n  template  = template.t\n  cpu       = 1\n  memory_gb = 1\n}\n"
	dir := newDir(t, movedSpec("web", 1, 1, "0s", vm))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	for _, step := range []struct{ block, moved, want string }{
		{fleet, "moved {\n  from = vm.db\n  to   = fleet.dbf\n}\n", "fleet.dbf"},
		{vm, "moved {\n  from = fleet.dbf\n  to   = vm.db\n}\n", "vm.db"},
	} {
		writeSpec(t, dir, movedSpec("web", 1, 1, "0s", step.block+step.moved))
		p := planJSON(t, dir)
		if len(p.Changes) != 1 || p.Changes[0].Action != "move" || p.Changes[0].Address != step.want {
			t.Errorf("plan of %q: %+v, want one move to %s", step.moved, p.Changes, step.want)
		}
		nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply "+step.moved)
		if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
			t.Errorf("a VM was created or deleted (-before +after):\n%s", diff)
		}
	}
}

// -target names addresses after the moves: the new address selects the
// moved VMs and all their changes, and so does the old one.
func TestMovedTargets(t *testing.T) {
	dir := newDir(t, movedSpec("web", 10, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	const mv = "moved {\n  from = fleet.web\n  to   = fleet.app\n}\n"
	app := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprintf("fleet.app[%d]", i))
		}
		slices.Sort(out)
		return out
	}
	writeSpec(t, dir, movedSpec("app", 8, 1, "0s", mv))
	shrunk := map[string][]string{"move": app(0, 8), "delete": app(8, 10)}
	for _, target := range []string{"fleet.app", "fleet.web"} {
		if diff := cmp.Diff(shrunk, planAddresses(t, dir, "-target="+target)); diff != "" {
			t.Errorf("-target=%s, count 8 (-want +got):\n%s", target, diff)
		}
	}
	writeSpec(t, dir, movedSpec("app", 10, 1, "0s", mv))
	for target, want := range map[string]map[string][]string{
		"fleet.web":    {"move": app(0, 10)},
		"fleet.app":    {"move": app(0, 10)},
		"fleet.web[0]": {"move": app(0, 1)},
		"fleet.app[9]": {"move": app(9, 10)},
	} {
		if diff := cmp.Diff(want, planAddresses(t, dir, "-target="+target)); diff != "" {
			t.Errorf("-target=%s, count 10 (-want +got):\n%s", target, diff)
		}
	}
}

// Diagnostics say what is wrong: a module moved to a fleet,
// an index too large, a VM a removed block forgot that is declared again.
func TestMovedRemovedWording(t *testing.T) {
	for extra, want := range map[string]string{
		"moved {\n  from = module.x\n  to = fleet.app\n}\n":                              "moves a module to a module, or a fleet or VM to a fleet or VM",
		"moved {\n  from = fleet.web[99999999999999999999999]\n  to = fleet.app[0]\n}\n": "is too large",
	} {
		dir := newDir(t, movedSpec("app", 1, 1, "0s", extra))
		r := nova(t, dir, "validate", "-no-color").Must(t, 1, "validate "+extra)
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("validate of %q does not say %q:\n%s", extra, want, r.Stderr)
		}
	}
	dir := newDir(t, movedSpec("web", 1, 1, "0s", ""))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	writeSpec(t, dir, movedSpec("other", 1, 2, "0s", "removed {\n  from = fleet.web\n  lifecycle {\n    destroy = false\n  }\n}\n"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the removed block")
	writeSpec(t, dir, movedSpec("web", 1, 1, "0s", ""))
	r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan that declares the forgotten VM again")
	if !strings.Contains(r.Stderr, "with `state rm` or by a removed block") {
		t.Errorf("the conflict does not name the removed block:\n%s", r.Stderr)
	}
}
