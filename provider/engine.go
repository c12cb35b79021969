package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// defaultParallelism is the executor's worker count when the backend sets
// no parallelism.
const defaultParallelism = 10

// session is one engine operation against one backend and its open driver.
type session struct {
	b *backend
	d driver.Driver
}

// openSession looks up the backend a resource names and opens its driver.
func openSession(ctx context.Context, bs *backends, name string, at path.Path) (*session, diag.Diagnostics) {
	b, diags := bs.lookup(name, at)
	if diags.HasError() {
		return nil, diags
	}
	d, err := b.driver(ctx)
	if err != nil {
		diags.AddAttributeError(at, "Cannot open backend "+name, sentence(err.Error()))
		return nil, diags
	}
	return &session{b: b, d: d}, diags
}

// inventory reads the backend's VMs and hosts in one bulk call.
func (s *session) inventory(ctx context.Context) (driver.Inventory, diag.Diagnostics) {
	var diags diag.Diagnostics
	inv, err := s.d.Inventory(ctx)
	if err != nil {
		diags.AddError("Cannot read the inventory of backend "+s.b.name, sentence(err.Error()))
	}
	return inv, diags
}

// newSpec is a spec of one fleet on this backend, as the engine's model has
// it; the fleet's Provider is set here.
func (s *session) newSpec(f *spec.Fleet) *spec.Spec {
	p := s.b.specProvider()
	f.Provider = p
	return &spec.Spec{Providers: map[string]*spec.Provider{p.Key(): p}, Fleets: []*spec.Fleet{f}}
}

// diff plans sp against the live inventory and st with the engine's Diff
// and checks that the plan can be ordered.
func (s *session) diff(ctx context.Context, sp *spec.Spec, st *state.State, destroy bool) (*plan.Plan, diag.Diagnostics) {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return nil, diags
	}
	p, ds := s.diffWith(inv, sp, st, destroy)
	return p, append(diags, ds...)
}

// diffWith is diff against an inventory already read.
func (s *session) diffWith(inv driver.Inventory, sp *spec.Spec, st *state.State, destroy bool) (*plan.Plan, diag.Diagnostics) {
	var diags diag.Diagnostics
	key := s.b.key()
	p, hd := plan.Diff(plan.Input{
		Spec: sp, State: st, Destroy: destroy, OwnRecorded: true,
		Inventories:  map[string]driver.Inventory{key: inv},
		Capabilities: map[string]driver.Capabilities{key: s.d.Capabilities()},
	})
	diags.Append(fromHCL(hd)...)
	if diags.HasError() {
		return nil, diags
	}
	if _, err := plan.BuildGraph(p); err != nil {
		diags.AddError("Cannot order the changes", sentence(err.Error()))
	}
	return p, diags
}

// apply runs p with the engine's executor; the results land in a copy of st,
// returned with the outcome of every change and their timings.
func (s *session) apply(ctx context.Context, p *plan.Plan, st *state.State) (*state.State, *exec.Result, *applyLog, error) {
	g, err := plan.BuildGraph(p)
	if err != nil {
		return nil, nil, nil, err
	}
	rec, log := newMemRecorder(st), newApplyLog()
	key := s.b.key()
	ex := &exec.Executor{
		Drivers:  map[string]driver.Driver{key: s.d},
		Recorder: rec,
		Events:   log.event,
		Options: exec.Options{
			Parallelism:    max(defaultParallelism, s.b.parallelism),
			ProviderLimits: map[string]int{key: s.b.parallelism},
			RateLimits:     map[string]float64{key: s.b.rateLimit},
		},
	}
	res := ex.Apply(ctx, nil, p, g)
	return rec.state(), res, log, nil
}

// applyLog times every change of an apply from the executor's events,
// which arrive one at a time.
type applyLog struct {
	started, finished map[*plan.Change]time.Time
}

func newApplyLog() *applyLog {
	return &applyLog{started: map[*plan.Change]time.Time{}, finished: map[*plan.Change]time.Time{}}
}

func (l *applyLog) event(ev exec.Event) {
	now := time.Now().UTC()
	switch ev.Kind {
	case exec.EventStarted:
		l.started[ev.Change] = now
	case exec.EventSucceeded, exec.EventFailed:
		l.finished[ev.Change] = now
	}
}

// outcomeDiags is one error per failed change, naming the VM, and one
// warning listing the changes that were not made.
func outcomeDiags(p *plan.Plan, res *exec.Result) diag.Diagnostics {
	var diags diag.Diagnostics
	var notMade []string
	for i, o := range res.Outcomes {
		c := p.Changes[i]
		switch o.Status {
		case exec.Failed:
			diags.AddError(fmt.Sprintf("VM %s (%s): %s failed", changeName(c), c.Address, c.Action),
				fmt.Sprintf("%s (after %d attempt(s)). What succeeded is saved in state; apply again to retry.",
					strings.TrimSuffix(sentence(o.Err.Error()), "."), o.Attempts))
		case exec.Skipped:
			notMade = append(notMade, fmt.Sprintf("%s (%s): %s", c.Address, c.Action, o.Reason))
		case exec.NotStarted:
			notMade = append(notMade, fmt.Sprintf("%s (%s): not started", c.Address, c.Action))
		}
	}
	if res.Interrupted {
		diags.AddError("Apply interrupted", "The apply stopped before every change was made; what was done is saved in state.")
	}
	if len(notMade) > 0 {
		diags.AddWarning(fmt.Sprintf("%d change(s) not made", len(notMade)), strings.Join(notMade, "\n"))
	}
	return diags
}

// changeName is the VM name a change is about.
func changeName(c *plan.Change) string {
	if c.After != nil {
		return c.After.Name
	}
	return c.Before.Name
}

// fromHCL converts the engine's diagnostics.
func fromHCL(hd hcl.Diagnostics) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, d := range hd {
		if d.Severity == hcl.DiagError {
			diags.AddError(d.Summary, d.Detail)
		} else {
			diags.AddWarning(d.Summary, d.Detail)
		}
	}
	return diags
}
