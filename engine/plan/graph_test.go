package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/plan"
)

// change builds a change for graph tests: action, address, and for
// creates and deletes the VM name on provider sim.lab.
func change(a plan.Action, addr string, batch int) *plan.Change {
	c := &plan.Change{Address: addr, Fleet: fleetOf(addr), Action: a, Batch: batch}
	attrs := &plan.Attrs{Provider: pk, Name: addr}
	if a != plan.Create {
		c.Before = attrs
	}
	if a != plan.Delete {
		c.After = attrs.Clone()
	}
	return c
}

func fleetOf(addr string) string {
	if i := strings.IndexByte(addr, '['); i >= 0 {
		return addr[:i]
	}
	return addr
}

func named(c *plan.Change, name string) *plan.Change {
	for _, a := range []*plan.Attrs{c.Before, c.After} {
		if a != nil {
			a.Name = name
		}
	}
	return c
}

// edges lists a graph's edges as "waiter -> waited for", sorted.
func edges(g *plan.Graph) []string {
	var out []string
	for i, deps := range g.Deps {
		for _, j := range deps {
			out = append(out, g.Nodes[i].Name+" -> "+g.Nodes[j].Name)
		}
	}
	slices.Sort(out)
	return out
}

func mustGraph(t testing.TB, p *plan.Plan) *plan.Graph {
	t.Helper()
	g, err := plan.BuildGraph(p)
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	return g
}

func TestBuildGraph(t *testing.T) {
	tests := []struct {
		name    string
		changes []*plan.Change
		deps    map[string][]string
		want    []string
	}{{
		name:    "depends_on: a barrier between the fleets",
		changes: []*plan.Change{change(plan.Create, "fleet.db[0]", 0), change(plan.Update, "fleet.db[1]", 0), change(plan.Create, "fleet.web[0]", 0), change(plan.Create, "fleet.web[1]", 0)},
		deps:    map[string][]string{"fleet.web": {"fleet.db"}},
		want: []string{
			"fleet.db: applied -> fleet.db[0] (create)", "fleet.db: applied -> fleet.db[1] (update)",
			"fleet.web[0] (create) -> fleet.db: applied", "fleet.web[1] (create) -> fleet.db: applied",
		},
	}, {
		name:    "deletes in reverse dependency order",
		changes: []*plan.Change{change(plan.Delete, "fleet.db[0]", 0), change(plan.Delete, "fleet.web[0]", 0), change(plan.Delete, "fleet.web[1]", 0)},
		deps:    map[string][]string{"fleet.web": {"fleet.db"}},
		want: []string{
			"fleet.db[0] (delete) -> fleet.web: deleted",
			"fleet.web: deleted -> fleet.web[0] (delete)", "fleet.web: deleted -> fleet.web[1] (delete)",
		},
	}, {
		name: "batch k+1 after batch k",
		changes: []*plan.Change{
			change(plan.Update, "fleet.web[0]", 1), change(plan.Update, "fleet.web[1]", 1),
			change(plan.Update, "fleet.web[2]", 2), change(plan.Update, "fleet.web[3]", 3),
		},
		want: []string{
			"fleet.web: batch 1 done -> fleet.web[0] (update)", "fleet.web: batch 1 done -> fleet.web[1] (update)",
			"fleet.web: batch 2 done -> fleet.web[2] (update)", "fleet.web: batch 3 done -> fleet.web[3] (update)",
			"fleet.web[2] (update) -> fleet.web: batch 1 done", "fleet.web[3] (update) -> fleet.web: batch 2 done",
		},
	}, {
		name: "changes to one address in turn",
		changes: []*plan.Change{
			change(plan.Delete, "fleet.web[0]", 0), change(plan.Adopt, "fleet.web[0]", 0),
			change(plan.Migrate, "fleet.web[0]", 0), change(plan.Update, "fleet.web[0]", 0), change(plan.Update, "fleet.web[1]", 0),
		},
		want: []string{
			"fleet.web[0] (adopt) -> fleet.web[0] (delete)", "fleet.web[0] (migrate) -> fleet.web[0] (adopt)",
			"fleet.web[0] (update) -> fleet.web[0] (migrate)",
		},
	}, {
		name: "a new VM waits for the delete of the VM whose name it takes",
		changes: []*plan.Change{
			named(change(plan.Delete, "fleet.old[0]", 0), "web-0"), named(change(plan.Delete, "fleet.old[1]", 0), "web-1"),
			named(change(plan.Create, "fleet.web[0]", 0), "web-0"), named(change(plan.Replace, "fleet.web[1]", 0), "web-1"),
			named(change(plan.Create, "fleet.web[2]", 0), "web-2"),
		},
		want: []string{"fleet.web[0] (create) -> fleet.old[0] (delete)", "fleet.web[1] (replace) -> fleet.old[1] (delete)"},
	}, {
		name: "depends_on skips no fleet: web → app → db with nothing to do for app",
		changes: []*plan.Change{
			change(plan.Create, "fleet.db[0]", 0), change(plan.Create, "fleet.web[0]", 0),
			change(plan.Delete, "fleet.db[1]", 0), change(plan.Delete, "fleet.web[1]", 0),
		},
		deps: map[string][]string{"fleet.web": {"fleet.app"}, "fleet.app": {"fleet.db"}},
		want: []string{
			"fleet.app: applied -> fleet.db: applied", "fleet.app: deleted -> fleet.web: deleted",
			"fleet.db: applied -> fleet.db[0] (create)", "fleet.db[1] (delete) -> fleet.app: deleted",
			"fleet.web: deleted -> fleet.web[1] (delete)", "fleet.web[0] (create) -> fleet.app: applied",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mustGraph(t, &plan.Plan{Changes: tt.changes, FleetDeps: tt.deps})
			if diff := cmp.Diff(tt.want, edges(g)); diff != "" {
				t.Errorf("edges (-want +got):\n%s", diff)
			}
			for i, c := range tt.changes {
				if g.Nodes[i].Change != c {
					t.Errorf("node %d is %q, want change %d", i, g.Nodes[i].Name, i)
				}
			}
		})
	}
}

// TestBuildGraphCycle crafts fleet dependencies in a cycle (state can hold
// what a spec check would refuse) and expects an error naming it.
func TestBuildGraphCycle(t *testing.T) {
	p := &plan.Plan{
		Changes:   []*plan.Change{change(plan.Delete, "fleet.a[0]", 0), change(plan.Delete, "fleet.b[0]", 0), change(plan.Create, "fleet.c[0]", 0)},
		FleetDeps: map[string][]string{"fleet.a": {"fleet.b"}, "fleet.b": {"fleet.a"}},
	}
	g, err := plan.BuildGraph(p)
	want := "the changes cannot be ordered: they form a cycle: fleet.a[0] (delete) → fleet.b: deleted → fleet.b[0] (delete) → fleet.a: deleted → fleet.a[0] (delete)"
	if err == nil || err.Error() != want {
		t.Errorf("BuildGraph = %v, %v; want the error %q", g, err, want)
	}
}

// TestBuildGraphLinear: a fleet of 1,000 depending on a fleet of 1,000 costs
// 2,000 edges through one barrier, not a million.
func TestBuildGraphLinear(t *testing.T) {
	p := &plan.Plan{FleetDeps: map[string][]string{"fleet.web": {"fleet.db"}}}
	for _, fleet := range []string{"fleet.db", "fleet.web"} {
		for i := range 1000 {
			p.Changes = append(p.Changes, change(plan.Create, fmt.Sprintf("%s[%d]", fleet, i), 0))
		}
	}
	g := mustGraph(t, p)
	if n, e := len(g.Nodes), len(edges(g)); n != 2001 || e != 2000 {
		t.Errorf("graph has %d nodes and %d edges; want 2001 and 2000", n, e)
	}
}

// dotSpec is a spec whose diff against its applied earlier version (count
// 2 web, 3 api, 2 worker, db on debian) has a replace, depends_on, a
// rollout with an adoption, and deletes in reverse order.
const dotSpec = `
vm "db" {
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}
fleet "web" {
  count      = 1
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 4
  depends_on = [vm.db]
}
fleet "api" {
  count      = 4
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 1
  depends_on = [fleet.web]
  rollout {
    batch_size = 2
  }
}
`

// TestGraphDOT renders the graph of a diffed plan and compares it with
// testdata/graph.dot.
func TestGraphDOT(t *testing.T) {
	f := applied(t, strings.NewReplacer(
		"template.ubuntu\n  cpu       = 4", "template.debian\n  cpu       = 4",
		"count      = 1", "count      = 2",
		"count      = 4", "count      = 3",
		"cpu        = 2\n  memory_gb  = 1", "cpu        = 1\n  memory_gb  = 1",
	).Replace(dotSpec)+`
fleet "worker" {
  count      = 2
  template   = template.ubuntu
  cpu        = 1
  memory_gb  = 1
  depends_on = [fleet.web]
}
`)
	f.spec = loadSpec(t, dotSpec)
	f.vm(t, f.state.VMs["fleet.web[0]"].ID).Tags = map[string]string{"tier": "web"}
	delete(f.state.VMs, "fleet.api[0]")
	p := mustDiff(t, f.input())
	golden(t, "graph.dot", mustGraph(t, p).DOT())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file (run go test -update to write it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); if the change is right, run go test -update:\n%s", path, diff)
	}
}
