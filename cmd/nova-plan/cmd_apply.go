package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/policy"
	"github.com/novacron/novacron/engine/workspace"
)

func runApply(args []string, e *env) int   { return apply("apply", args, e) }
func runDestroy(args []string, e *env) int { return apply("destroy", args, e) }

// applyRun is one apply or destroy in progress.
type applyRun struct {
	op          string
	pf          planFlags
	autoApprove bool
	u           *ui
	e           *env
	intr        *interrupter
}

func apply(op string, args []string, e *env) int {
	r := &applyRun{op: op, e: e}
	usage := "[PLANFILE]"
	if op == "destroy" {
		usage = ""
	}
	fs := newFlags(op, usage, e)
	r.pf.register(fs, op == "apply")
	r.pf.registerPolicy(fs)
	fs.BoolVar(&r.autoApprove, "auto-approve", false, "apply without asking for approval")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	r.u = newUI(e, r.pf.noColor)
	r.intr = interrupts(r.u)
	defer r.intr.done()
	switch err := r.pf.check(); {
	case err != nil:
		return r.u.errorf("%v", err)
	case fs.NArg() > 1:
		return r.u.errorf("%s takes at most one argument, a saved plan file", op)
	case fs.NArg() == 1 && op == "destroy":
		return r.u.errorf("destroy takes no plan file; to apply a saved destroy plan, use `nova-plan apply FILE`")
	case fs.NArg() == 1 && (len(r.pf.targets) > 0 || len(r.pf.replace) > 0 || r.pf.forceImport):
		return r.u.errorf("-target, -replace and -force-import cannot be used with a saved plan: they were decided when it was made")
	case fs.NArg() == 1:
		return r.saved(fs.Arg(0))
	}
	return r.fresh()
}

// fresh plans, shows the plan, asks for approval and applies.
func (r *applyRun) fresh() int {
	ctx := r.intr.ctx
	sess := begin(ctx, r.u, r.op, &r.pf, r.e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(r.u, sess)
	policies, ok := loadPolicies(ctx, r.u, r.pf.policies, sess)
	if !ok {
		return 1
	}
	p, diags := sess.Plan(ctx, r.pf.planOptions(r.op == "destroy"))
	if r.u.diagnostics(diags) {
		return 1
	}
	r.u.renderPlan(r.e.stdout, p.Plan)
	if _, ok := checkPolicies(ctx, r.u, policies, sess, p.Plan, true); !ok {
		return 1
	}
	if p.Empty() {
		return r.outputs(sess)
	}
	if !r.autoApprove && !r.approve() {
		r.u.printf("\nApply cancelled.\n")
		return 1
	}
	return r.run(sess, p)
}

// saved applies a plan file exactly, after checking it is not stale.
func (r *applyRun) saved(path string) int {
	ctx := r.intr.ctx
	saved, err := plan.ReadFile(path)
	if err != nil {
		return r.u.errorf("Cannot read the saved plan: %v", err)
	}
	values, err := workspace.SavedValues(saved)
	if err != nil {
		return r.u.errorf("Cannot read the saved plan: %v", err)
	}
	if saved.Destroy {
		r.op = "destroy"
	}
	sess := begin(ctx, r.u, r.op, &r.pf, r.e, values)
	if sess == nil {
		return 1
	}
	defer closeSession(r.u, sess)
	policies, ok := loadPolicies(ctx, r.u, r.pf.policies, sess)
	if !ok {
		return 1
	}
	p, diags := sess.PrepareSaved(ctx, saved)
	if r.u.diagnostics(diags) {
		return 1
	}
	if !r.savedPolicies(policies, sess, p.Plan) {
		return 1
	}
	if p.Empty() {
		r.u.renderPlan(r.e.stdout, p.Plan)
		return r.outputs(sess)
	}
	return r.run(sess, p)
}

// savedPolicies checks a saved plan against the policies: a plan a
// policy refuses is shown, with why, and not applied.
func (r *applyRun) savedPolicies(set *policy.Set, sess *workspace.Session, p *plan.Plan) bool {
	if set == nil {
		return true
	}
	results, ok := checkPolicies(r.intr.ctx, r.u, set, sess, p, false)
	if !ok {
		r.u.renderPlan(r.e.stdout, p)
	}
	r.u.printf("\n%s\n", r.u.policyVerdict(results, !ok))
	return ok
}

func (r *applyRun) approve() bool {
	verb := "perform these actions"
	if r.op == "destroy" {
		verb = "destroy the VMs above"
	}
	r.u.printf("\nDo you want to %s?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", verb)
	line, _ := bufio.NewReader(r.e.stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// run applies p. An interrupt before it starts (while planning or at the
// approval prompt) stops the command with nothing changed.
func (r *applyRun) run(sess *workspace.Session, p *operation.Planned) int {
	if !r.intr.applying() {
		r.u.diagnostics(operation.Interrupted())
		return 1
	}
	prog := newProgress(r.u, len(p.Changes))
	res, err := sess.Apply(r.intr.ctx, p, workspace.ApplyOptions{
		Operation: r.op, Parallelism: r.pf.parallelism, Events: prog.event, Stop: r.intr.stop,
		CloseDrivers: true, // outputs read the state, not the drivers
	})
	prog.finish()
	if err != nil && res == nil {
		return r.u.errorf("%v", err)
	}
	r.u.diagnostics(operation.OutcomeDiagnostics(sess.Spec, p.Plan, res))
	r.report(p.Plan, res, err != nil)
	if err != nil {
		r.u.diagnostics(saveFailedDiags(err, r.e.chdir))
		return 1
	}
	if !res.OK() {
		return 1
	}
	return r.outputs(sess)
}

// report prints the closing summary of an apply.
func (r *applyRun) report(p *plan.Plan, res *exec.Result, notSaved bool) {
	done := map[plan.Action]int{}
	for i, o := range res.Outcomes {
		if o.Status == exec.Succeeded {
			done[p.Changes[i].Action]++
		}
	}
	line := summaryLine("VMs", done, doneWords)
	switch {
	case res.StateErr != nil:
		r.u.printf("\n%s %s %s\n", r.u.paint(bold+red, "Apply stopped: the state could not be saved."),
			notStartedText(res.Count(exec.NotStarted), len(p.Changes)), line)
	case notSaved && res.OK():
		r.u.printf("\n%s %s\n", r.u.paint(bold+red, "Apply finished, but the state could not be saved."), line)
	case res.Interrupted:
		r.u.printf("\n%s %s %s\n", r.u.paint(bold+yellow, "Apply interrupted."),
			notStartedText(res.Count(exec.NotStarted), len(p.Changes)), line)
	case res.OK():
		r.u.printf("\n%s %s\n", r.u.paint(bold+green, "Apply complete!"), line)
	default:
		r.u.printf("\n%s %d failed, %d skipped. %s\n", r.u.paint(bold+red, "Apply failed."),
			res.Count(exec.Failed), res.Count(exec.Skipped), line)
	}
}

// outputs prints the outputs after an apply (a destroy leaves none). An
// output that cannot be evaluated, say one naming a VM a -target left out,
// is a warning: the VMs were changed as planned.
func (r *applyRun) outputs(sess *workspace.Session) int {
	if r.op == "destroy" {
		return 0
	}
	outs, diags := sess.Outputs()
	for _, d := range diags {
		d.Severity = hcl.DiagWarning
	}
	r.u.diagnostics(diags)
	if len(outs) == 0 {
		return 0
	}
	r.u.printf("\nOutputs:\n\n")
	for _, o := range outs {
		r.u.printf("%s = %s\n", printable(o.Name, false), formatValue(o))
	}
	return 0
}

// notStartedText says how many of a plan's changes an apply that stopped
// never started.
func notStartedText(notStarted, total int) string {
	if notStarted == 0 {
		return fmt.Sprintf("All %d changes had started.", total)
	}
	return fmt.Sprintf("%d of %d changes were not started.", notStarted, total)
}
