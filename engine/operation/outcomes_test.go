package operation_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// change is a change to addr, of fleet, with before and after attributes
// that differ as the action needs.
func change(addr string, a plan.Action, edit func(b, a *plan.Attrs)) *plan.Change {
	fleet, _, _ := strings.Cut(addr, "[")
	before := &plan.Attrs{Provider: "sim.lab", Name: "vm-x", Host: "hv-01", CPU: 1, MemoryMiB: 1024, DiskGB: 10, Power: driver.PowerRunning}
	after := before.Clone()
	if edit != nil {
		edit(before, after)
	}
	c := &plan.Change{Address: addr, Fleet: fleet, Action: a, Before: before, After: after}
	switch a {
	case plan.Create:
		c.Before = nil
	case plan.Delete:
		c.After = nil
	}
	return c
}

func mustAddr(t *testing.T, s string) addrs.Instance {
	t.Helper()
	a, err := addrs.ParseInstance(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// outcomeCase is one change and how it ended.
type outcomeCase struct {
	c *plan.Change
	o exec.Outcome
}

func run(cases ...outcomeCase) (*plan.Plan, *exec.Result) {
	p, res := &plan.Plan{}, &exec.Result{}
	for _, tc := range cases {
		p.Changes = append(p.Changes, tc.c)
		res.Outcomes = append(res.Outcomes, tc.o)
	}
	return p, res
}

// diagView is what a test compares of a diagnostic.
type diagView struct {
	Severity        hcl.DiagnosticSeverity
	Summary, Detail string
	Line            int // the subject's start line; 0 without one
	Context         *operation.Context
}

func view(diags hcl.Diagnostics) []diagView {
	var out []diagView
	for _, d := range diags {
		v := diagView{Severity: d.Severity, Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			v.Line = d.Subject.Start.Line
		}
		v.Context, _ = hcl.DiagnosticExtra[*operation.Context](d)
		out = append(out, v)
	}
	return out
}

func TestOutcomeDiagnostics(t *testing.T) {
	sp := newFixture(t, simSpec("")).spec
	db, web := addrs.Fleet{Kind: addrs.KindVM, Name: "db"}, addrs.Fleet{Name: "web"}
	boom := driver.Errorf(driver.KindPermanent, "host hv-01 refused: out of memory")
	cpu := func(b, a *plan.Attrs) { a.CPU = 4 }
	cpuAndTags := func(b, a *plan.Attrs) { a.CPU, a.Tags = 4, map[string]string{"x": "y"} }
	migrate := func(b, a *plan.Attrs) { a.Host = "hv-02" }
	stop := func(b, a *plan.Attrs) { a.Power = driver.PowerStopped }

	tests := []struct {
		name        string
		spec        *spec.Spec
		cases       []outcomeCase
		interrupted bool
		stateErr    error
		want        []diagView
	}{{
		name: "a failed create is an error on its block",
		spec: sp,
		cases: []outcomeCase{
			{change("vm.db", plan.Create, nil), exec.Outcome{Status: exec.Failed, Err: boom, Attempts: 1}},
			{change("fleet.web[0]", plan.Create, nil), exec.Outcome{Status: exec.Succeeded, Attempts: 1}},
		},
		want: []diagView{{
			Severity: hcl.DiagError, Summary: "vm.db: create failed", Line: 13,
			Detail:  `Host hv-01 refused: out of memory (VM "vm-x", after 1 attempt).`,
			Context: &operation.Context{Fleet: db, Changes: []operation.ChangeContext{{Address: mustAddr(t, "vm.db"), Action: plan.Create, Status: exec.Failed}}},
		}},
	}, {
		name: "a failed update names the one attribute it changes; without a spec there is no range",
		cases: []outcomeCase{
			{change("fleet.web[1]", plan.Update, cpu), exec.Outcome{Status: exec.Failed, Err: boom, Attempts: 5}},
			{change("fleet.web[2]", plan.Update, cpuAndTags), exec.Outcome{Status: exec.Failed, Err: boom, Attempts: 2}},
			{change("fleet.web[0]", plan.Migrate, migrate), exec.Outcome{Status: exec.Failed, Err: boom, Attempts: 1}},
			{change("vm.db", plan.Stop, stop), exec.Outcome{Status: exec.Failed, Err: boom, Attempts: 1}},
		},
		want: []diagView{{
			Severity: hcl.DiagError, Summary: "fleet.web[1]: update failed",
			Detail:  `Host hv-01 refused: out of memory (VM "vm-x", after 5 attempts).`,
			Context: &operation.Context{Fleet: web, Changes: []operation.ChangeContext{{Address: mustAddr(t, "fleet.web[1]"), Action: plan.Update, Status: exec.Failed, Attribute: "cpu"}}},
		}, {
			Severity: hcl.DiagError, Summary: "fleet.web[2]: update failed",
			Detail:  `Host hv-01 refused: out of memory (VM "vm-x", after 2 attempts).`,
			Context: &operation.Context{Fleet: web, Changes: []operation.ChangeContext{{Address: mustAddr(t, "fleet.web[2]"), Action: plan.Update, Status: exec.Failed}}},
		}, {
			Severity: hcl.DiagError, Summary: "fleet.web[0]: migrate failed",
			Detail:  `Host hv-01 refused: out of memory (VM "vm-x", after 1 attempt).`,
			Context: &operation.Context{Fleet: web, Changes: []operation.ChangeContext{{Address: mustAddr(t, "fleet.web[0]"), Action: plan.Migrate, Status: exec.Failed, Attribute: "host"}}},
		}, {
			Severity: hcl.DiagError, Summary: "vm.db: stop failed",
			Detail:  `Host hv-01 refused: out of memory (VM "vm-x", after 1 attempt).`,
			Context: &operation.Context{Fleet: db, Changes: []operation.ChangeContext{{Address: mustAddr(t, "vm.db"), Action: plan.Stop, Status: exec.Failed, Attribute: "power"}}},
		}},
	}, {
		name: "skipped and not-started changes are one warning per fleet, saying why",
		spec: sp,
		cases: []outcomeCase{
			{change("vm.db", plan.Create, nil), exec.Outcome{Status: exec.Skipped, Reason: "fleet vm.db halted after a rollout batch failed"}},
			{change("fleet.web[0]", plan.Create, nil), exec.Outcome{Status: exec.NotStarted}},
			{change("fleet.web[1]", plan.Delete, nil), exec.Outcome{Status: exec.NotStarted}},
		},
		interrupted: true,
		want: []diagView{{
			Severity: hcl.DiagWarning, Summary: "vm.db: 1 change not made", Line: 13,
			Detail: "- vm.db (create): skipped: fleet vm.db halted after a rollout batch failed",
			Context: &operation.Context{Fleet: db, Changes: []operation.ChangeContext{
				{Address: mustAddr(t, "vm.db"), Action: plan.Create, Status: exec.Skipped, Reason: "skipped: fleet vm.db halted after a rollout batch failed"}}},
		}, {
			Severity: hcl.DiagWarning, Summary: "fleet.web: 2 changes not made", Line: 19,
			Detail: "- fleet.web[0] (create): not started: the apply was interrupted\n- fleet.web[1] (delete): not started: the apply was interrupted",
			Context: &operation.Context{Fleet: web, Changes: []operation.ChangeContext{
				{Address: mustAddr(t, "fleet.web[0]"), Action: plan.Create, Status: exec.NotStarted, Reason: "not started: the apply was interrupted"},
				{Address: mustAddr(t, "fleet.web[1]"), Action: plan.Delete, Status: exec.NotStarted, Reason: "not started: the apply was interrupted"}}},
		}},
	}, {
		name: "changes not started because state could not be saved say so",
		spec: sp,
		cases: []outcomeCase{
			{change("fleet.web[0]", plan.Create, nil), exec.Outcome{Status: exec.NotStarted}},
		},
		stateErr: errors.New("disk full"),
		want: []diagView{{
			Severity: hcl.DiagWarning, Summary: "fleet.web: 1 change not made", Line: 19,
			Detail: "- fleet.web[0] (create): not started: the state could not be saved",
			Context: &operation.Context{Fleet: web, Changes: []operation.ChangeContext{
				{Address: mustAddr(t, "fleet.web[0]"), Action: plan.Create, Status: exec.NotStarted, Reason: "not started: the state could not be saved"}}},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, res := run(tt.cases...)
			res.Interrupted, res.StateErr = tt.interrupted, tt.stateErr
			got := view(operation.OutcomeDiagnostics(tt.spec, p, res))
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b addrs.Instance) bool { return a == b })); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// A warning lists the first changes not made in its detail, and all of
// them in its context.
func TestOutcomeDiagnosticsListAFewAndCountTheRest(t *testing.T) {
	var cases []outcomeCase
	for i := range 12 {
		cases = append(cases, outcomeCase{change(fmt.Sprintf("fleet.web[%d]", i), plan.Create, nil), exec.Outcome{Status: exec.NotStarted}})
	}
	p, res := run(cases...)
	res.Interrupted = true
	diags := operation.OutcomeDiagnostics(nil, p, res)
	if len(diags) != 1 {
		t.Fatalf("%d diagnostics, want one warning: %s", len(diags), diagText(diags))
	}
	lines := strings.Split(diags[0].Detail, "\n")
	if len(lines) != 11 || lines[9] != "- fleet.web[9] (create): not started: the apply was interrupted" || lines[10] != "- and 2 more" {
		t.Errorf("detail:\n%s\nwant ten changes and \"- and 2 more\"", diags[0].Detail)
	}
	if ctx, ok := hcl.DiagnosticExtra[*operation.Context](diags[0]); !ok || len(ctx.Changes) != 12 {
		t.Errorf("context %+v, want all 12 changes", ctx)
	}
}
