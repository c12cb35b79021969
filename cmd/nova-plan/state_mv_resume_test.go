package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// rewriteMarkers rewrites the ownership marker of each VM of mvSpec's
// simulated provider in dir to name the address to[id], keeping its
// workspace and spec hash, as a move does before it records the VM.
func rewriteMarkers(t *testing.T, dir string, to map[string]string) {
	t.Helper()
	ctx := context.Background()
	d, err := sim.Open(ctx, driver.OpenRequest{Name: "lab", DataDir: filepath.Join(dir, ".nova"), Config: driver.Config{"hosts": int64(2)}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range inv.VMs {
		addr, ok := to[vm.ID]
		if !ok {
			continue
		}
		m := *vm.Marker
		m.Address = addr
		if _, err := d.Update(ctx, vm.ID, driver.Changes{Marker: &m}); err != nil {
			t.Fatal(err)
		}
	}
}

// A `state mv fleet.web fleet.frontend` killed midway left some VMs
// recorded at fleet.web, the rest at fleet.frontend, and every marker
// naming fleet.frontend: the plan refused (state and marker disagree), and
// the same state mv was refused too, since the state records
// fleet.frontend. Running the same state mv again now finishes the move.
func TestStateMvFinishesInterruptedFleetMove(t *testing.T) {
	dir := newDir(t, mvSpec("web"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	ids := stateIDs(t, dir)
	// The interrupted move: fleet.web[0] moved (marker and state), the
	// markers of fleet.web[1] and [2] rewritten, their records not saved.
	nova(t, dir, "state", "mv", "fleet.web[0]", "fleet.frontend[0]").Must(t, 0, "state mv fleet.web[0] fleet.frontend[0]")
	rewriteMarkers(t, dir, map[string]string{ids["fleet.web[1]"]: "fleet.frontend[1]", ids["fleet.web[2]"]: "fleet.frontend[2]"})
	r := nova(t, dir, "plan").Must(t, 1, "plan of the split workspace")
	if !strings.Contains(r.Stderr+r.Stdout, "State and ownership marker disagree") {
		t.Fatalf("the plan of the split workspace does not say state and markers disagree:\n%s%s", r.Stdout, r.Stderr)
	}

	r = nova(t, dir, "state", "mv", "fleet.web", "fleet.frontend").Must(t, 0, "the same state mv again")
	for _, w := range []string{"Moved fleet.web[1] to fleet.frontend[1]", "Moved fleet.web[2] to fleet.frontend[2]"} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("state mv does not say %q:\n%s", w, r.Stdout)
		}
	}
	want := map[string]string{
		ids["fleet.web[0]"]: "fleet.frontend[0]", ids["fleet.web[1]"]: "fleet.frontend[1]", ids["fleet.web[2]"]: "fleet.frontend[2]",
		ids["vm.db"]: "vm.db",
	}
	if diff := cmp.Diff(want, stateAddresses(t, dir)); diff != "" {
		t.Errorf("state addresses by id (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, markers(t, dir)); diff != "" {
		t.Errorf("marker addresses by id (-want +got):\n%s", diff)
	}
	doc, _ := readStateDoc(t, dir)
	if diff := cmp.Diff([]string{"fleet.frontend"}, doc.VMs["vm.db"].DependsOn); diff != "" {
		t.Errorf("vm.db depends_on (-want +got):\n%s", diff)
	}
	writeSpec(t, dir, mvSpec("frontend"))
	r = nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the finished move and the spec's rename")
	if !strings.Contains(r.Stdout, "No changes.") {
		t.Errorf("the plan after the finished move is not empty:\n%s", r.Stdout)
	}
}

// A fleet move whose destination records another VM at one of the keys
// is still refused, changing nothing: it would put two VMs at one address.
func TestStateMvFleetRefusedOverAnotherVM(t *testing.T) {
	dir := newDir(t, mvSpec("web"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	nova(t, dir, "state", "mv", "fleet.web[0]", "fleet.frontend[1]").Must(t, 0, "state mv fleet.web[0] fleet.frontend[1]")
	_, stored := readStateDoc(t, dir)
	before := markers(t, dir)
	r := nova(t, dir, "state", "mv", "fleet.web", "fleet.frontend").Must(t, 1, "state mv onto another VM")
	if !strings.Contains(r.Stderr, "already records another VM at fleet.frontend[1]") {
		t.Errorf("the refusal does not name the address taken:\n%s", r.Stderr)
	}
	if _, now := readStateDoc(t, dir); string(now) != string(stored) {
		t.Errorf("a refused move changed the state")
	}
	if diff := cmp.Diff(before, markers(t, dir)); diff != "" {
		t.Errorf("a refused move changed markers (-before +after):\n%s", diff)
	}
}
