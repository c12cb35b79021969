package estate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// The bounds of the plans the estate keeps for Apply: at most MaxPlans per
// workspace (the oldest is forgotten first), each for PlanTTL.
const (
	MaxPlans = 20
	PlanTTL  = time.Hour
)

// kept is a plan kept for Apply, with what it was made from.
type kept struct {
	saved   SavedPlan
	plan    *plan.Plan
	vars    []spec.VarArg
	files   map[string]string // an uploaded spec; nil for the workspace's own
	applied string            // the run that applies it; "" until then
}

// plans are the kept plans, by workspace.
type plans struct {
	mu   sync.Mutex
	byWS map[string][]*kept // oldest first
}

// add keeps k, forgetting expired plans and the oldest past MaxPlans.
func (ps *plans) add(k *kept) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.byWS == nil {
		ps.byWS = map[string][]*kept{}
	}
	ws := k.saved.Workspace
	list := append(ps.live(ws), k)
	if len(list) > MaxPlans {
		list = list[len(list)-MaxPlans:]
	}
	ps.byWS[ws] = list
}

// live returns a workspace's plans that have not expired; ps.mu is held.
func (ps *plans) live(ws string) []*kept {
	now := time.Now()
	list := slices.DeleteFunc(ps.byWS[ws], func(k *kept) bool { return now.After(k.saved.Expires) })
	ps.byWS[ws] = list
	return list
}

// get returns a kept plan, or nil.
func (ps *plans) get(ws, id string) *kept {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.byWS == nil {
		return nil
	}
	for _, k := range ps.live(ws) {
		if k.saved.ID == id {
			return k
		}
	}
	return nil
}

// Plan plans a workspace and keeps the plan for Apply. Files, when given,
// are planned instead of the workspace's own spec files, against its
// state and providers. Spec errors are an *InvalidError with diagnostics.
func (e *Estate) Plan(ctx context.Context, workspace, who string, r PlanRequest) (*SavedPlan, error) {
	s, err := e.space(workspace)
	if err != nil {
		return nil, err
	}
	vars, targets, err := planInputs(r)
	if err != nil {
		return nil, err
	}
	dir, cleanup, err := uploadDir(r.Files)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	check := func() error { return e.checkVarProviders(s, vars) }
	if dir != "" {
		check = func() error { return e.checkUploadBlocks(s, dir, vars) }
	}
	if err := check(); err != nil {
		return nil, err
	}
	sess, err := s.begin(ctx, dir, e.beginOptions("plan", who, vars), e.o.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer sess.close()
	p, diags := sess.Plan(ctx, operation.PlanOptions{Destroy: r.Destroy, Targets: targets})
	if diags.HasErrors() {
		return nil, diagsError(diags, sess.Workspace().Dir, s.w.Dir)
	}
	warnings, err := s.checkPolicies(ctx, sess, p.Plan)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(p.Warnings, warnings...)
	k := &kept{plan: p.Plan, vars: vars, files: maps.Clone(r.Files), saved: savedPlan(s.name, who, p)}
	e.plans.add(k)
	out := k.saved
	return &out, nil
}

// savedPlan is the API's document of a plan.
func savedPlan(ws, who string, p *operation.Planned) SavedPlan {
	now := time.Now().UTC()
	return SavedPlan{
		ID: workspace.NewID(), Workspace: ws, Who: who, Digest: workspace.Digest(p.Plan), Created: now, Expires: now.Add(PlanTTL),
		Plan: jsonformat.PlanDocument(p.Plan), Graph: changeGraph(p),
	}
}

// planInputs checks a plan request's variables and targets.
func planInputs(r PlanRequest) ([]spec.VarArg, []string, error) {
	var vars []spec.VarArg
	for _, name := range slices.Sorted(maps.Keys(r.Vars)) {
		if !addrs.ValidName(name) {
			return nil, nil, &InvalidError{Message: fmt.Sprintf("%q is not a variable name", name)}
		}
		vars = append(vars, spec.VarArg{Name: name, Value: r.Vars[name]})
	}
	targets := make([]string, 0, len(r.Targets))
	for _, t := range r.Targets {
		a, err := addrs.ParseTarget(t) // as -target: a module selects everything in it
		if err != nil {
			return nil, nil, &InvalidError{Message: fmt.Sprintf("target %q: %v", t, err)}
		}
		targets = append(targets, a.String())
	}
	return vars, targets, nil
}

// GetPlan returns a kept plan, or ErrNotFound.
func (e *Estate) GetPlan(ctx context.Context, workspace, id string) (*SavedPlan, error) {
	if _, err := e.space(workspace); err != nil {
		return nil, err
	}
	k := e.plans.get(workspace, id)
	if k == nil {
		return nil, fmt.Errorf("plan %q of workspace %s: %w", id, workspace, ErrNotFound)
	}
	out := k.saved
	return &out, nil
}

// claim marks a plan as being applied: a plan is applied once.
func (ps *plans) claim(k *kept) error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	switch k.applied {
	case "":
		k.applied = claimed
		return nil
	case claimed:
		return &ConflictError{Message: fmt.Sprintf("plan %s is being applied already", k.saved.ID)}
	}
	return &ConflictError{Message: fmt.Sprintf("plan %s was applied already, by run %s: plan again", k.saved.ID, k.applied)}
}

// claimed is kept.applied while Apply starts the plan's run.
const claimed = "(starting)"

func (ps *plans) unclaim(k *kept) { ps.setApplied(k, "") }

func (ps *plans) applied(k *kept, run string) { ps.setApplied(k, run) }

func (ps *plans) setApplied(k *kept, run string) {
	ps.mu.Lock()
	k.applied = run
	ps.mu.Unlock()
}
