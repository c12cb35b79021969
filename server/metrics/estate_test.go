package metrics

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/novacron/novacron/server/estate"
)

// An apply of examples/quickstart through the estate, observed: the run,
// its changes, the inventory reads and the VMs they listed.
func TestEstateObserved(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "quickstart"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "quickstart", "main.nova.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	m := New()
	ctx := context.Background()
	e, err := estate.Open(ctx, root, estate.Options{LockTimeout: time.Minute, Observer: m})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if r, err = e.GetRun(ctx, r.ID, 2*time.Minute); err != nil || r.Status != estate.RunSucceeded {
		t.Fatalf("the apply: %+v, %v", r, err)
	}
	// examples/quickstart: vm.db-01 and four fleet.web VMs, all running.
	const want = `
# HELP nova_applies_total Finished runs (applies and VM actions) by workspace, operation and outcome.
# TYPE nova_applies_total counter
nova_applies_total{operation="apply",outcome="succeeded",workspace="quickstart"} 1
# HELP nova_actions_total Finished changes of runs by plan action and outcome.
# TYPE nova_actions_total counter
nova_actions_total{action="create",outcome="succeeded"} 5
# HELP nova_vms VMs in the last inventory listing, by workspace, provider and power state.
# TYPE nova_vms gauge
nova_vms{power="running",provider="sim.lab",workspace="quickstart"} 5
# HELP nova_drift_vms VMs the last refresh of the workspace found drifted from its spec.
# TYPE nova_drift_vms gauge
nova_drift_vms{workspace="quickstart"} 0
# HELP nova_inventory_errors_total Inventory reads of a provider that failed.
# TYPE nova_inventory_errors_total counter
nova_inventory_errors_total{provider="sim.lab"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "nova_applies_total",
		"nova_actions_total", "nova_vms", "nova_drift_vms", "nova_inventory_errors_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(m.invRead, "nova_inventory_read_seconds"); n != 1 {
		t.Errorf("nova_inventory_read_seconds has %d series, want sim.lab's", n)
	}
	if !strings.Contains(scrape(t, m), `nova_apply_duration_seconds_count{operation="apply",workspace="quickstart"} 1`) {
		t.Error("the apply's duration is not observed")
	}
}

// Two workspaces whose specs both name a provider sim.lab: each has its
// own simulated cluster, whose VM ids overlap. nova_vms counts every VM
// GET /api/v1/vms lists, per workspace.
func TestVMsCountedPerWorkspace(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, ws := range []string{"east", "west"} {
		if err := os.Mkdir(filepath.Join(root, ws), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, ws, "main.nova.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := New()
	ctx := context.Background()
	e, err := estate.Open(ctx, root, estate.Options{LockTimeout: time.Minute, Observer: m})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, ws := range []string{"east", "west"} {
		p, err := e.Plan(ctx, ws, "alice", estate.PlanRequest{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Apply(ctx, ws, p.ID, p.Digest, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if r, err = e.GetRun(ctx, r.ID, 2*time.Minute); err != nil || r.Status != estate.RunSucceeded {
			t.Fatalf("the apply of %s: %+v, %v", ws, r, err)
		}
	}
	vms, total, err := e.VMs(ctx, estate.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, vm := range vms {
		ids[vm.Provider+"/"+vm.InventoryVM.ID] = true
	}
	if total != 10 || len(ids) >= total {
		t.Fatalf("the listing has %d VMs with %d distinct provider/id pairs; the test needs 10 VMs whose ids overlap", total, len(ids))
	}
	const want = `
# HELP nova_vms VMs in the last inventory listing, by workspace, provider and power state.
# TYPE nova_vms gauge
nova_vms{power="running",provider="sim.lab",workspace="east"} 5
nova_vms{power="running",provider="sim.lab",workspace="west"} 5
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "nova_vms"); err != nil {
		t.Error(err)
	}
}
