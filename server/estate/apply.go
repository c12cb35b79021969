package estate

import (
	"context"
	"errors"
	"fmt"

	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/workspace"
)

// Apply starts applying a kept plan whose digest is digest; the run goes
// on after ctx ends. A digest that does not match, a plan applied
// already, or a stale plan is a *ConflictError. Staleness is checked
// here against the spec, the state and the last inventory read when it
// is newer than the plan; the run checks it again, with the lock held,
// against the live inventories (Session.PrepareSaved), and fails when the
// plan went stale in between.
func (e *Estate) Apply(ctx context.Context, workspace, planID, digest, who string) (*Run, error) {
	s, err := e.space(workspace)
	if err != nil {
		return nil, err
	}
	k := e.plans.get(workspace, planID)
	if k == nil {
		return nil, fmt.Errorf("plan %q of workspace %s: %w", planID, workspace, ErrNotFound)
	}
	if digest != k.saved.Digest {
		return nil, &ConflictError{Message: fmt.Sprintf("the digest does not match plan %s: apply the plan you reviewed, with its digest", planID)}
	}
	if err := e.plans.claim(k); err != nil {
		return nil, err
	}
	if err := e.checkFresh(ctx, s, k); err != nil {
		e.plans.unclaim(k)
		return nil, err
	}
	j := e.applyJob(s, k, who)
	r, err := e.start(j)
	if err != nil {
		e.plans.unclaim(k)
		return nil, err
	}
	e.plans.applied(k, r.ID)
	return r, nil
}

// applyJob is the run of a kept plan: in a session on the spec it was made
// from, the plan is checked again and applied as it was shown.
func (e *Estate) applyJob(s *space, k *kept, who string) *job {
	op := "apply"
	if k.plan.Destroy {
		op = "destroy"
	}
	j := &job{space: s, who: who, op: op, planID: k.saved.ID, digest: k.saved.Digest, vars: k.vars}
	j.prepare = func(ctx context.Context, sess *session) (*operation.Planned, error) {
		p, diags := sess.PrepareSaved(ctx, k.plan)
		if diags.HasErrors() {
			return nil, diagsError(diags, sess.Workspace().Dir)
		}
		return p, nil
	}
	if k.files != nil {
		dir, cleanup, err := uploadDir(k.files)
		j.dir, j.cleanup = dir, cleanup
		if err != nil {
			j.prepare = func(context.Context, *session) (*operation.Planned, error) { return nil, err }
		}
	}
	return j
}

// checkFresh refuses a plan made against another spec or state, or other
// VMs when the last inventory read is newer than the plan.
func (e *Estate) checkFresh(ctx context.Context, s *space, k *kept) error {
	dir, cleanup, err := uploadDir(k.files)
	if err != nil {
		return err
	}
	defer cleanup()
	w, o := *s.w, workspace.SpecOptions{Vars: k.vars, Env: e.env}
	if dir != "" {
		w.Dir, o.Env, o.ModuleRoot = dir, uploadEnv(o.Env), s.w.Dir
	}
	sp, diags := w.LoadSpec(o)
	if diags.HasErrors() {
		return stale(&plan.StaleError{Reason: "the spec files no longer load: " + diagText(diags)})
	}
	if sp.Digest != k.plan.SpecDigest {
		return stale(&plan.StaleError{Reason: "the spec files changed since it was made"})
	}
	st, err := s.w.Store.Read(ctx)
	if err != nil {
		return err
	}
	inv := s.cached()
	if inv == nil || inv.refreshed.Before(k.saved.Created) {
		return stale(k.plan.CheckState(st))
	}
	return stale(k.plan.CheckFresh(st, inv.invs))
}

// stale turns a staleness error into a *ConflictError.
func stale(err error) error {
	var se *plan.StaleError
	if errors.As(err, &se) {
		return &ConflictError{Message: se.Error()}
	}
	return err
}
