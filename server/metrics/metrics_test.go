package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/server/estate"
)

// scrape returns what Handler serves.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s\n%s", resp.Status, b)
	}
	return string(b)
}

// wantLines fails for each line of want missing from the exposition.
func wantLines(t *testing.T, exposition string, want ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(exposition, "\n") {
		have[l] = true
	}
	for _, l := range want {
		if !have[l] {
			t.Errorf("the scrape has no line %q", l)
		}
	}
}

func TestObserverSeries(t *testing.T) {
	m := New()
	m.RunFinished(&estate.Run{Workspace: "quickstart", Operation: "apply", Status: estate.RunSucceeded}, 2*time.Second)
	m.RunFinished(&estate.Run{Workspace: "quickstart", Operation: "apply", Status: estate.RunFailed}, 40*time.Second)
	m.RunFinished(&estate.Run{Workspace: "api", Operation: "reboot", Status: "odd"}, 300*time.Millisecond)
	m.ChangeFinished("create", "succeeded")
	m.ChangeFinished("create", "succeeded")
	m.ChangeFinished("delete", "failed")
	m.ChangeFinished("explode", "maybe")
	m.Drift("quickstart", 3)
	m.Drift("quickstart", 2)
	m.Drift("api", 0)
	m.InventoryRead("sim.lab", 150*time.Millisecond, nil)
	m.InventoryRead("sim.lab", 2*time.Second, errors.New("connection refused"))
	m.InventoryRead("ec2.prod", 20*time.Millisecond, nil)

	const want = `
# HELP nova_applies_total Finished runs (applies and VM actions) by workspace, operation and outcome.
# TYPE nova_applies_total counter
nova_applies_total{operation="apply",outcome="failed",workspace="quickstart"} 1
nova_applies_total{operation="apply",outcome="succeeded",workspace="quickstart"} 1
nova_applies_total{operation="other",outcome="other",workspace="api"} 1
# HELP nova_actions_total Finished changes of runs by plan action and outcome.
# TYPE nova_actions_total counter
nova_actions_total{action="create",outcome="succeeded"} 2
nova_actions_total{action="delete",outcome="failed"} 1
nova_actions_total{action="other",outcome="other"} 1
# HELP nova_drift_vms VMs the last refresh of the workspace found drifted from its spec.
# TYPE nova_drift_vms gauge
nova_drift_vms{workspace="api"} 0
nova_drift_vms{workspace="quickstart"} 2
# HELP nova_inventory_errors_total Inventory reads of a provider that failed.
# TYPE nova_inventory_errors_total counter
nova_inventory_errors_total{provider="ec2.prod"} 0
nova_inventory_errors_total{provider="sim.lab"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"nova_applies_total", "nova_actions_total", "nova_drift_vms", "nova_inventory_errors_total"); err != nil {
		t.Error(err)
	}
	wantLines(t, scrape(t, m),
		`nova_apply_duration_seconds_bucket{operation="apply",workspace="quickstart",le="1"} 0`,
		`nova_apply_duration_seconds_bucket{operation="apply",workspace="quickstart",le="2.5"} 1`,
		`nova_apply_duration_seconds_bucket{operation="apply",workspace="quickstart",le="60"} 2`,
		`nova_apply_duration_seconds_sum{operation="apply",workspace="quickstart"} 42`,
		`nova_apply_duration_seconds_count{operation="apply",workspace="quickstart"} 2`,
		`nova_apply_duration_seconds_count{operation="other",workspace="api"} 1`,
		`nova_inventory_read_seconds_bucket{provider="sim.lab",le="0.1"} 0`,
		`nova_inventory_read_seconds_bucket{provider="sim.lab",le="0.25"} 1`,
		`nova_inventory_read_seconds_count{provider="sim.lab"} 2`,
		`nova_inventory_read_seconds_sum{provider="sim.lab"} 2.15`,
		`nova_inventory_read_seconds_count{provider="ec2.prod"} 1`,
		"# TYPE go_goroutines gauge",
		"# TYPE process_cpu_seconds_total counter",
	)
}

func vm(ws, provider, id, power string) estate.VM {
	return estate.VM{ID: ws + ":" + id, Workspace: ws,
		InventoryVM: jsonformat.InventoryVM{Provider: provider, ID: id, Name: id, Power: power}}
}

func TestInventoryReplacesTheVMCounts(t *testing.T) {
	m := New()
	m.Inventory([]estate.VM{
		vm("quickstart", "sim.lab", "vm-1", "running"),
		vm("quickstart", "sim.lab", "vm-2", "running"),
		vm("quickstart", "sim.lab", "vm-3", "stopped"),
		vm("other", "sim.lab", "vm-1", "running"), // another workspace's sim.lab: its own VM
		vm("quickstart", "ec2.prod", "i-1", "running"),
		vm("quickstart", "ec2.prod", "i-2", "pending"),
	})
	const first = `
# HELP nova_vms VMs in the last inventory listing, by workspace, provider and power state.
# TYPE nova_vms gauge
nova_vms{power="other",provider="ec2.prod",workspace="quickstart"} 1
nova_vms{power="running",provider="ec2.prod",workspace="quickstart"} 1
nova_vms{power="running",provider="sim.lab",workspace="other"} 1
nova_vms{power="running",provider="sim.lab",workspace="quickstart"} 2
nova_vms{power="stopped",provider="sim.lab",workspace="quickstart"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(first), "nova_vms"); err != nil {
		t.Errorf("first listing: %v", err)
	}
	m.Inventory([]estate.VM{vm("quickstart", "sim.lab", "vm-1", "stopped")})
	const second = `
# HELP nova_vms VMs in the last inventory listing, by workspace, provider and power state.
# TYPE nova_vms gauge
nova_vms{power="stopped",provider="sim.lab",workspace="quickstart"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(second), "nova_vms"); err != nil {
		t.Errorf("second listing, ec2.prod and sim.lab's running VMs gone: %v", err)
	}
}

func TestRegistryIsNotTheGlobalOne(t *testing.T) {
	a, b := New(), New() // a second registry's collectors do not clash
	a.Drift("x", 1)
	if n := testutil.CollectAndCount(b.drift); n != 0 {
		t.Errorf("a drift of one registry shows in another: %d series", n)
	}
}
