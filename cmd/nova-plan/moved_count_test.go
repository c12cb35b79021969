package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// countSpec is the simulator with one template and the given fleets: each
// "NAME" or "NAME:COUNT" (COUNT "" for no count) is a fleet whose one VM
// keeps its name whatever its address, then extra.
func countSpec(extra string, fleets ...string) string {
	var b strings.Builder
	b.WriteString("provider \"sim\" \"lab\" {\n  hosts = 2\n}\n\ntemplate \"u\" {\n  sim { image = \"ubuntu-22.04\" }\n}\n")
	for _, f := range fleets {
		name, count, _ := strings.Cut(f, ":")
		fmt.Fprintf(&b, "\nfleet %q {\n", name)
		vmName := "vm-one" // one VM: the same name at every address
		if count != "" {
			fmt.Fprintf(&b, "  count     = %s\n", count)
			if count != "1" {
				vmName = "vm-${count.index}"
			}
		}
		fmt.Fprintf(&b, "  name      = %q\n  template  = template.u\n  cpu       = 1\n  memory_gb = 1\n}\n", vmName)
	}
	return b.String() + extra
}

// planMoves returns the plan's changes as "action previous → address".
func planMoves(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, c := range planJSON(t, dir).Changes {
		out = append(out, c.Action+" "+c.PreviousAddress+" → "+c.Address)
	}
	return out
}

// Adding or removing count = 1 keeps the VM: an implied move, as
// Terraform makes, from fleet.x[0] to fleet.x and back; an explicit moved
// block between a VM with a key and a fleet written without one (one VM)
// moves it too, between fleets; the simulator's ids never change.
func TestMovedCountAddedOrRemoved(t *testing.T) {
	dir := newDir(t, countSpec("", "x:1"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	before := liveIDs(t, dir)
	for _, step := range []struct {
		name, spec string
		want       []string
	}{
		{"count removed", countSpec("", "x"), []string{"move fleet.x[0] → fleet.x"}},
		{"count added", countSpec("", "x:1"), []string{"move fleet.x → fleet.x[0]"}},
		{"x[0] to y", countSpec("moved {\n  from = fleet.x[0]\n  to   = fleet.y\n}\n", "y"), []string{"move fleet.x[0] → fleet.y"}},
		{"y to z[0]", countSpec("moved {\n  from = fleet.y\n  to   = fleet.z[0]\n}\n", "z:1"), []string{"move fleet.y → fleet.z[0]"}},
		{"z to s, whole fleets", countSpec("moved {\n  from = fleet.z\n  to   = fleet.s\n}\n", "s"), []string{"move fleet.z[0] → fleet.s"}},
		{"s to t, whole fleets", countSpec("moved {\n  from = fleet.s\n  to   = fleet.t\n}\n", "t:1"), []string{"move fleet.s → fleet.t[0]"}},
		{"t[0] back, same fleet", countSpec("moved {\n  from = fleet.t[0]\n  to   = fleet.t\n}\n", "t"), []string{"move fleet.t[0] → fleet.t"}},
	} {
		writeSpec(t, dir, step.spec)
		if diff := cmp.Diff(step.want, planMoves(t, dir)); diff != "" {
			t.Fatalf("%s: plan (-want +got):\n%s", step.name, diff)
		}
		nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply "+step.name)
		nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after "+step.name)
		if diff := cmp.Diff(before, liveIDs(t, dir)); diff != "" {
			t.Errorf("%s: a VM was created or deleted (-before +after):\n%s", step.name, diff)
		}
	}
}

// A whole fleet moved where its keys cannot go is refused at plan time,
// naming the block and the VMs the state holds, never planned as a delete
// and a create.
func TestMovedWholeFleetMismatched(t *testing.T) {
	dir := newDir(t, countSpec("", "x:2"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	const vmV = "vm \"v\" {\n  template  = template.u\n  cpu       = 1\n  memory_gb = 1\n}\n"
	for name, tc := range map[string]struct{ spec, want string }{
		"fleet to vm": {countSpec(vmV + "moved {\n  from = fleet.x\n  to   = vm.v\n}\n"),
			"moves fleet.x, one VM, to vm.v, one VM, but the state records 2 VMs of fleet.x: fleet.x[0], fleet.x[1]"},
		"count to none": {countSpec("moved {\n  from = fleet.x\n  to   = fleet.y\n}\n", "y"),
			"moves fleet.x to fleet.y, but fleet.y has neither count nor for_each (it names one VM), and the state records fleet.x[0], fleet.x[1]"},
	} {
		writeSpec(t, dir, tc.spec)
		r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan "+name)
		if !strings.Contains(r.Stderr, "Mismatched move") || !strings.Contains(strings.Join(strings.Fields(r.Stderr), " "), tc.want) {
			t.Errorf("%s: plan does not say Mismatched move, %q:\n%s", name, tc.want, r.Stderr)
		}
	}
}
