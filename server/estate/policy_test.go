package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// smallVMs denies VMs of more than 4 vCPUs and warns of every plan.
const smallVMs = `package novacron.small

deny contains {"msg": msg, "address": c.address} if {
	some c in input.changes
	c.after.cpu > 4
	msg := sprintf("%s has %d vCPUs; at most 4", [c.address, c.after.cpu])
}

warn contains "plans are reviewed" if {
	count(input.changes) > 0
}
`

// Plans through the server are checked against the policies the
// workspace's spec names, as nova-plan's are: a denial is refused with
// the address it names, a warning travels with the plan, and an upload
// cannot leave the policies out.
func TestPolicies(t *testing.T) {
	root := newRoot(t)
	dir := filepath.Join(root, "quickstart")
	writeFile(t, filepath.Join(dir, "policy", "small.rego"), smallVMs)
	writeFile(t, filepath.Join(dir, "novacron.nova.hcl"), "novacron {\n  policy {\n    dir = \"policy\"\n  }\n}\n")
	e := open(t, root, nil)
	ctx := context.Background()
	_, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	var inv *estate.InvalidError
	if !errors.As(err, &inv) || !slices.ContainsFunc(inv.Diagnostics, func(d estate.Diagnostic) bool {
		return d.Summary == "Denied by policy: vm.db-01" && strings.Contains(d.Detail, "8 vCPUs")
	}) {
		t.Fatalf("Plan: %v, want a denial of vm.db-01", err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	small := strings.Replace(string(src), "cpu       = 8", "cpu       = 4", 1)
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{Files: map[string]string{"main.nova.hcl": small}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Plan.Warnings, "Policy warning: plans are reviewed") {
		t.Errorf("warnings %q, want the policy's", p.Plan.Warnings)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	// The runs of actions are checked too, with the policies as they are
	// when the run plans.
	writeFile(t, filepath.Join(dir, "policy", "small.rego"), strings.Replace(smallVMs, "c.after.cpu > 4", "c.after.cpu > 1", 1))
	r, err = e.Act(ctx, "bob", "quickstart:fleet.web[0]", estate.ActionRequest{Action: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	if got := wait(t, e, r.ID, estate.RunFailed); !strings.Contains(got.Error, "Denied by policy: fleet.web[0]") {
		t.Errorf("restart run error %q, want a denial", got.Error)
	}
}
