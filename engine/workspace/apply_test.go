package workspace_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

const fleetsSpec = simBlocks + `
variable "web_count" {
  type    = number
  default = 3
}

fleet "web" {
  provider  = provider.sim.lab
  count     = var.web_count
  template  = template.img
  cpu       = 2
  memory_gb = 4
  disk_gb   = 20
}

fleet "app" {
  provider   = provider.sim.lab
  for_each   = { a = 1, b = 2 }
  template   = template.img
  cpu        = each.value
  memory_gb  = 2
  depends_on = [fleet.web]
}

vm "db" {
  provider  = provider.sim.lab
  template  = template.img
  cpu       = 4
  memory_gb = 8
  host      = "hv-02"
}

output "web_names" { value = fleet.web[*].name }
output "app_cpus"  { value = { for k, vm in fleet.app : k => vm.cpu } }
output "db"        { value = { name = vm.db.name, host = vm.db.host, id = vm.db.id } }
output "web"       { value = fleet.web }
output "app"       { value = fleet.app }
output "db_vm"     { value = vm.db }
`

// Plan, apply, plan again: the second plan is empty, state and history
// were written, and outputs read the fleets from state.
func TestApplyThenPlanIsEmpty(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	ctx := context.Background()
	var digest string
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if diff := cmp.Diff(map[string]int{"create": 6}, actions(p)); diff != "" {
			t.Fatalf("first plan (-want +got):\n%s", diff)
		}
		digest = workspace.Digest(p.Plan)
		mustApply(t, sess, p)
	})
	st, err := ws.Store.Read(ctx)
	if err != nil || st == nil || st.Serial == 0 || len(st.VMs) != 6 {
		t.Fatalf("saved state after apply: %+v, %v; want 6 VMs and a serial", st, err)
	}
	checkHistory(t, ws, digest, 6)
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		if p := mustPlan(t, sess); !p.Empty() {
			t.Errorf("plan after apply: %v, want no changes", actions(p))
		}
		live := liveVMs(t, sess)
		for addr, vm := range sess.State.VMs {
			if live[vm.Name].ID != vm.ID {
				t.Errorf("state records %s as %s; the sim has %+v", addr, vm.ID, live[vm.Name])
			}
		}
		checkOutputs(t, sess)
	})
	session(t, ws, spec.Options{Vars: []spec.VarArg{{Name: "web_count", Value: "4"}}}, func(sess *workspace.Session) {
		mustApply(t, sess, mustPlan(t, sess))
	})
	if st2, err := ws.Store.Read(ctx); err != nil || st2.Serial <= st.Serial || len(st2.VMs) != 7 {
		t.Errorf("after a second apply: serial %d (was %d), %d VMs, %v; want a larger serial and 7 VMs", st2.Serial, st.Serial, len(st2.VMs), err)
	}
}

// checkHistory checks the audit log of one apply of n creates.
func checkHistory(t *testing.T, ws *workspace.Workspace, digest string, n int) {
	t.Helper()
	recs, err := ws.Store.History(context.Background())
	if err != nil || len(recs) != n+2 {
		t.Fatalf("history: %d records, %v; want start, %d actions, end", len(recs), err, n)
	}
	start, end := recs[0], recs[len(recs)-1]
	if start.Kind != "start" || start.Operation != "apply" || start.PlanDigest != digest || start.Who == "" || start.RunID == "" {
		t.Errorf("first record %+v; want a start of apply by someone with plan digest %s", start, digest)
	}
	if end.Kind != "end" || end.Outcome != "ok" || end.RunID != start.RunID {
		t.Errorf("last record %+v; want the end of run %s, ok", end, start.RunID)
	}
	for _, rec := range recs[1 : len(recs)-1] {
		if rec.Kind != "action" || rec.Action != "create" || rec.Outcome != "ok" || rec.RunID != start.RunID {
			t.Errorf("action record %+v; want an ok create of run %s", rec, start.RunID)
		}
	}
}

// checkOutputs checks output values against the session's state: a count
// fleet is a list, a for_each fleet a map, a vm an object.
func checkOutputs(t *testing.T, sess *workspace.Session) {
	t.Helper()
	outs, diags := sess.Outputs()
	if diags.HasErrors() {
		t.Fatalf("Outputs: %s", diagText(diags))
	}
	got := map[string]cty.Value{}
	for _, o := range outs {
		got[o.Name] = o.Value
	}
	db := sess.State.VMs["vm.db"]
	want := map[string]cty.Value{
		"web_names": cty.TupleVal([]cty.Value{cty.StringVal("web-0"), cty.StringVal("web-1"), cty.StringVal("web-2")}),
		"app_cpus":  cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.NumberIntVal(2)}),
		"db":        cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("db"), "host": cty.StringVal("hv-02"), "id": cty.StringVal(db.ID)}),
	}
	for name, w := range want {
		if !got[name].RawEquals(w) {
			t.Errorf("output %s = %#v, want %#v", name, got[name], w)
		}
	}
	if ty := got["web"].Type(); !ty.IsTupleType() || ty.Length() != 3 {
		t.Errorf("fleet.web is a %s, want a list of 3 VMs", ty.FriendlyName())
	}
	if ty := got["app"].Type(); !ty.IsObjectType() || !ty.HasAttribute("a") || !ty.HasAttribute("b") {
		t.Errorf("fleet.app is a %s, want a map with keys a and b", ty.FriendlyName())
	}
	vm := got["db_vm"]
	if !vm.Type().IsObjectType() || !vm.Type().HasAttribute("address") || vm.GetAttr("address").AsString() != "vm.db" {
		t.Errorf("vm.db is %#v, want an object with address vm.db", vm)
	}
}

// A change that fails at apply time makes the end record say so, and the
// state keeps what succeeded.
func TestApplyRecordsFailure(t *testing.T) {
	body := simBlocks + `
fleet "web" {
  provider  = provider.sim.lab
  count     = 2
  template  = template.img
  cpu       = 2
  memory_gb = 4
  host      = "hv-01"
}

vm "db" {
  provider  = provider.sim.lab
  template  = template.img
  cpu       = 4
  memory_gb = 8
  host      = "hv-02"
}
`
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": body})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		// Someone else fills hv-02 between plan and apply.
		_, err := sess.Drivers["sim.lab"].Create(context.Background(), driver.VMSpec{
			Name: "intruder", Host: "hv-02", CPU: 64, MemoryMiB: 1024, DiskGB: 10,
			Template: sess.Spec.Fleets[0].TemplateRef,
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{Operation: "apply"})
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if res.OK() || res.Count(exec.Failed) != 1 || len(sess.State.VMs) != 2 {
			t.Errorf("OK %v, %d failed, %d VMs in state; want vm.db failed and the 2 web VMs saved",
				res.OK(), res.Count(exec.Failed), len(sess.State.VMs))
		}
	})
	recs, err := ws.Store.History(context.Background())
	if err != nil || len(recs) == 0 {
		t.Fatalf("history: %v", err)
	}
	if end := recs[len(recs)-1]; end.Kind != "end" || end.Outcome != "failed" {
		t.Errorf("last record %+v, want an end record with outcome failed", end)
	}
	st, _ := ws.Store.Read(context.Background())
	if diff := cmp.Diff([]string{"fleet.web[0]", "fleet.web[1]"}, stateAddrs(st)); diff != "" {
		t.Errorf("saved state (-want +got):\n%s", diff)
	}
}

func stateAddrs(st *state.State) []string {
	if st == nil {
		return nil
	}
	return st.Addresses()
}
