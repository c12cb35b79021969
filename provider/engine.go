package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// defaultParallelism is the executor's worker count when the backend sets
// no parallelism.
const defaultParallelism = 10

// session is one backend and its open driver: what a resource plans and
// applies with, through engine/operation, the core nova-plan runs on too.
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
		diags.AddAttributeError(at, "Cannot open backend "+name, spec.Sentence(err.Error()))
		return nil, diags
	}
	return &session{b: b, d: d}, diags
}

// inventory reads the backend's VMs and hosts in one bulk call.
func (s *session) inventory(ctx context.Context) (driver.Inventory, diag.Diagnostics) {
	var diags diag.Diagnostics
	inv, err := s.d.Inventory(ctx)
	if err != nil {
		diags.AddError("Cannot read the inventory of backend "+s.b.name, spec.Sentence(s.b.redactor().Error(err).Error()))
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

// operation is the core's operation of sp (nil: a destroy) against st on
// this backend: the one place the provider gives the core its driver and
// the backend's limits (parallelism, rate_limit).
func (s *session) operation(sp *spec.Spec, st *state.State) *operation.Operation {
	return &operation.Operation{
		Spec: sp, State: st, Lineage: st.Lineage,
		Providers: map[string]operation.Provider{
			s.b.key(): {Driver: s.d, Parallelism: s.b.parallelism, RateLimit: s.b.rateLimit},
		},
	}
}

// invs is inv as the inventories the core plans against.
func (s *session) invs(inv driver.Inventory) map[string]driver.Inventory {
	return map[string]driver.Inventory{s.b.key(): inv}
}

// plan plans sp (nil: the destroy of what st records) against inv and st
// with the core; where says where its diagnostics go.
func (s *session) plan(inv driver.Inventory, sp *spec.Spec, st *state.State, destroy bool, where placer) (*operation.Planned, diag.Diagnostics) {
	p, hd := s.operation(sp, st).PlanWith(s.invs(inv), operation.PlanOptions{Destroy: destroy})
	return p, fromEngine(hd, where)
}

// applied is what an apply through the core did.
type applied struct {
	plan   *plan.Plan
	after  *state.State // the engine's state after the apply
	res    *operation.Result
	log    *applyLog
	failed bool // some change failed, or the apply stopped
}

// apply applies p, planned against st, with the core, walking the graph
// the plan was ordered with; the results land in a copy of st. Its
// diagnostics are the core's, on the paths where says.
func (s *session) apply(ctx context.Context, p *operation.Planned, sp *spec.Spec, st *state.State, where placer) (applied, diag.Diagnostics) {
	rec, log := newMemRecorder(st), newApplyLog()
	res := s.operation(sp, st).Apply(ctx, p, operation.ApplyOptions{
		Recorder: rec, Events: log.event, Parallelism: max(defaultParallelism, s.b.parallelism),
	})
	diags := fromEngine(operation.OutcomeDiagnostics(sp, p.Plan, res), where)
	if res.Interrupted {
		diags.AddError("Apply interrupted", "The apply stopped before every change was made; what was done is saved in state.")
	}
	return applied{plan: p.Plan, after: rec.state(), res: res, log: log, failed: diags.HasError()}, diags
}

// applyLog times every change of an apply from the executor's events,
// which arrive one at a time.
type applyLog struct {
	started, finished map[*plan.Change]time.Time
}

func newApplyLog() *applyLog {
	return &applyLog{started: map[*plan.Change]time.Time{}, finished: map[*plan.Change]time.Time{}}
}

func (l *applyLog) event(ev operation.Event) {
	now := time.Now().UTC()
	switch ev.Kind {
	case operation.EventStarted:
		l.started[ev.Change] = now
	case operation.EventSucceeded, operation.EventFailed:
		l.finished[ev.Change] = now
	}
}
