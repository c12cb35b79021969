package main

import (
	"context"

	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// begin opens the workspace and starts a locked session, printing
// diagnostics; nil means exit 1. closeSession closes both.
func begin(ctx context.Context, u *ui, op string, pf *planFlags, e *env, values map[string]cty.Value) *workspace.Session {
	ws := openWorkspace(ctx, u, e, &pf.backend)
	if ws == nil {
		return nil
	}
	opts := workspace.BeginOptions{
		Operation: op, LockTimeout: pf.lockTimeout, NoLock: op == "inventory",
		Spec: spec.Options{Vars: pf.vars.args, Env: e.environ, Values: values},
	}
	if paceGC != nil {
		opts.SpecLoaded = func(sp *spec.Spec) { paceGC(op, specVMs(sp)) }
	}
	sess, diags := ws.Begin(ctx, opts)
	u.files = ws.Loader.Files()
	if u.diagnostics(diags) {
		closeWorkspace(u, ws)
		return nil
	}
	if paceGC != nil {
		paceGC(op, sessionVMs(sess))
	}
	return sess
}

func runPlan(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("plan", "", e)
	pf.register(fs, true)
	pf.registerPolicy(fs)
	out := fs.String("out", "", "save the plan to this `file`, to apply it later with nova-plan apply FILE")
	asJSON := fs.Bool("json", false, "print the plan as JSON (docs/json-format.md)")
	asMarkdown := fs.Bool("markdown", false, "print the plan as a Markdown summary, for a pull request comment")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 with no changes, 1 on error, 2 with changes")
	destroy := fs.Bool("destroy", false, "plan to delete every VM the workspace manages")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return newUI(e, pf.noColor).errorf("plan takes no arguments; use -chdir=DIR to plan another folder")
	}
	if err := pf.check(); err != nil {
		return newUI(e, pf.noColor).errorf("%v", err)
	}
	if *asJSON && *asMarkdown {
		return newUI(e, pf.noColor).errorf("-json and -markdown are two formats; give one")
	}
	u := newUI(e, pf.noColor)
	intr := interrupts(u)
	defer intr.done()
	ctx := intr.ctx
	sess := begin(ctx, u, "plan", &pf, e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(u, sess)
	policies, ok := loadPolicies(ctx, u, pf.policies, sess)
	if !ok {
		return 1
	}
	p, diags := sess.Plan(ctx, pf.planOptions(*destroy))
	if p != nil && (*asJSON || *asMarkdown) {
		diags = withoutPlanWarnings(diags, p.Plan) // the document carries them
	}
	if u.diagnostics(diags) {
		return 1
	}
	results, pdiags := evaluatePolicies(ctx, policies, sess, p.Plan)
	switch {
	case *asJSON:
		if err := writePlanJSON(e.stdout, p.Plan); err != nil {
			return u.errorf("%v", err)
		}
	case *asMarkdown:
		if err := writePlanMarkdown(e.stdout, markdownInput{Plan: p.Plan, Policy: markdownPolicy(results)}); err != nil {
			return u.errorf("%v", err)
		}
	default:
		u.renderPlan(e.stdout, p.Plan)
	}
	text := !*asJSON && !*asMarkdown
	if !u.reportPolicies(policies, results, pdiags, text) {
		if *out != "" && text {
			u.printf("\nThe plan was not saved: the policies refuse it.\n")
		}
		return 1
	}
	if *out != "" {
		if err := plan.WriteFile(*out, p.Plan); err != nil {
			return u.errorf("Cannot save the plan: %v", err)
		}
		if text {
			u.printf("\nSaved the plan to: %s\n\nTo perform exactly these actions, run:\n  nova-plan apply %s\n", *out, *out)
		}
	}
	if *detailed && !p.Empty() {
		return 2
	}
	return 0
}

func closeSession(u *ui, s *workspace.Session) {
	if err := s.Close(); err != nil && !u.alreadySaid(workspace.Message(err)) {
		u.diagnostics(warning("Problem while closing", workspace.Message(err)))
	}
	u.diagnostics(s.Notes())
	closeWorkspace(u, s.Workspace())
}
